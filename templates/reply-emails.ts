/**
 * Replies by email (use-cases/email-reply.ts): a reply relayed to the other side of a link,
 * the one line confirming a "stop", and a reply from someone who is not the address's
 * holder, passed to head office. The reply's own words go in as a value, never as template.
 */
import type { EmailTemplate } from './render.js';

export interface ReplyRelayView {
  greeting: string;
  /** Who replied, as we know them (never as the message names itself). */
  senderName: string;
  /** Their event's or practice's name. */
  senderPlace: string;
  practiceName: string;
  eventName: string;
  /** The reply's new words only: no quoted history, no signature. */
  words: string;
  /** An attachment came with the reply and was not passed on. */
  leftOut: boolean;
}

export const replyRelay: EmailTemplate<ReplyRelayView> = {
  name: 'reply-relay',
  subject: '{{senderName}} ({{senderPlace}}) replied',
  text: `Hello {{greeting}},

{{senderName}} ({{senderPlace}}) replied about the partnership between {{practiceName}} and {{eventName}}:

{{words}}
{{#leftOut}}
They sent an attachment too. We do not pass attachments on: ask them for it if you need it.
{{/leftOut}}
Reply to this email to answer them. We have noted that you are in touch.`,
  html: `<p>Hello {{greeting}},</p>
<p><strong>{{senderName}}</strong> ({{senderPlace}}) replied about the partnership between {{practiceName}} and {{eventName}}:</p>
<blockquote style="margin:16px 0;padding:8px 16px;border-left:4px solid #ffa300;white-space:pre-wrap;">{{words}}</blockquote>
{{#leftOut}}<p>They sent an attachment too. We do not pass attachments on: ask them for it if you need it.</p>{{/leftOut}}
<p>Reply to this email to answer them. We have noted that you are in touch.</p>`,
};

export interface ReplyStoppedView {
  greeting: string;
  /** What was stopped, as the preferences page names it. */
  kindName: string;
}

/** Sent only to the address's own holder, from a message that passed SPF or DKIM: never backscatter. */
export const replyStopped: EmailTemplate<ReplyStoppedView> = {
  name: 'reply-stopped',
  subject: 'Stopped: {{kindName}}',
  text: `Hello {{greeting}},

You replied "stop", so we have stopped these emails: {{kindName}}.`,
  html: `<p>Hello {{greeting}},</p>
<p>You replied "stop", so we have stopped these emails: {{kindName}}.</p>`,
};

export interface ReplyFromStrangerView {
  /** The From address of the reply, as it came. */
  from: string;
  /** Whose reply address it was sent to. */
  holder: string;
  practiceName: string;
  eventName: string;
  words: string;
}

/** To head office: a reply to someone's reply address from another address; not relayed. */
export const replyFromStranger: EmailTemplate<ReplyFromStrangerView> = {
  name: 'reply-from-stranger',
  subject: 'A reply from {{from}} was not passed on',
  text: `A reply about the partnership between {{practiceName}} and {{eventName}} came from {{from}}, to the reply address we gave {{holder}}. It is not theirs, so we did not pass it on.

If it should reach the other side, forward it yourself. Its words:

{{words}}`,
  html: `<p>A reply about the partnership between {{practiceName}} and {{eventName}} came from {{from}}, to the reply address we gave {{holder}}. It is not theirs, so we did not pass it on.</p>
<p>If it should reach the other side, forward it yourself. Its words:</p>
<blockquote style="margin:16px 0;padding:8px 16px;border-left:4px solid #ccc;white-space:pre-wrap;">{{words}}</blockquote>`,
};
