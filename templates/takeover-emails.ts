/**
 * The takeover emails: the planning prompt, the news that a day is fixed, and the
 * countdown reminders. Each is short paragraphs and at most one main action.
 */
import type { EmailTemplate } from './render.js';
import { noticeTemplate, type NoticeView } from './notice.js';

export interface TakeoverPromptView {
  championName: string;
  practiceName: string;
  eventName: string;
  /** Set when the event team could not do the days offered before. */
  declineReason?: string;
  dates: Array<{ label: string; url: string }>;
  notThisYearUrl: string;
  /** The page both sides share: "See your partnership with <the event>". */
  partnershipUrl?: string;
}

export const takeoverPrompt: EmailTemplate<TakeoverPromptView> = {
  name: 'takeover-prompt',
  subject: '{{#declineReason}}Other Saturdays for your takeover of {{eventName}}?{{/declineReason}}{{^declineReason}}Could {{practiceName}} take over {{eventName}} one Saturday?{{/declineReason}}',
  text: `Hello {{championName}},
{{#declineReason}}

The {{eventName}} team cannot do the Saturdays you offered: "{{declineReason}}". Would another day suit?
{{/declineReason}}

A takeover is a Saturday when practice staff fill every volunteer role at {{eventName}}: marshals, timekeepers, tail walker, the lot. The event team shows you how, and it is a good morning out for a practice team.

Pick a Saturday that might suit, and we will ask the event team:
{{#dates}}
{{label}}: {{url}}
{{/dates}}

Not this year: {{notThisYearUrl}}
{{#partnershipUrl}}

See your partnership with {{eventName}}: {{partnershipUrl}}
{{/partnershipUrl}}`,
  html: `<p>Hello {{championName}},</p>
{{#declineReason}}<p>The {{eventName}} team cannot do the Saturdays you offered: &ldquo;{{declineReason}}&rdquo;. Would another day suit?</p>{{/declineReason}}
<p>A takeover is a Saturday when practice staff fill every volunteer role at {{eventName}}: marshals, timekeepers, tail walker, the lot. The event team shows you how, and it is a good morning out for a practice team.</p>
<p>Pick a Saturday that might suit, and we will ask the event team:</p>
<ul>{{#dates}}<li style="margin:6px 0;"><a href="{{url}}">{{label}}</a></li>{{/dates}}</ul>
<p style="font-size:15px;"><a href="{{notThisYearUrl}}">Not this year</a></p>
{{#partnershipUrl}}<p style="font-size:15px;"><a href="{{partnershipUrl}}">See your partnership with {{eventName}}</a></p>{{/partnershipUrl}}`,
};

/**
 * The same choice of Saturdays, sent again because the event team declined the ones the
 * champion offered: an answer to their own offer, so outside their budget of unasked
 * email (core/policies/mail-budget.ts), which goes by template name.
 */
export const takeoverChoicesAgain: EmailTemplate<TakeoverPromptView> = { ...takeoverPrompt, name: 'takeover-choices-again' };

export type TakeoverNoticeView = NoticeView;

/** The countdown reminders and the "it's fixed" news. */
export const takeoverNotice = noticeTemplate('takeover-notice');
