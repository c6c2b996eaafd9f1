/** To a successor: a colleague would like to hand their parkrun practice role over to you. Nothing changes until they accept. */
import type { EmailTemplate } from './render.js';
import { buttonStyle } from './layout.js';

export interface HandoverOfferView {
  successorName: string;
  fromName: string;
  /** "the parkrun practice contact for Riverside Surgery" or "an event director of Bushy parkrun" */
  roleDescription: string;
  acceptUrl: string;
}

export const handoverOffer: EmailTemplate<HandoverOfferView> = {
  name: 'handover-offer',
  subject: '{{fromName}} would like to hand over to you',
  text: `Hello {{successorName}},

{{fromName}} would like you to take over as {{roleDescription}}.

If you agree, accept, and we will send you everything you need.

Accept the hand-over: {{acceptUrl}}

If not, ignore this email: nothing changes, and {{fromName}} stays the contact.`,
  html: `<p>Hello {{successorName}},</p>
<p>{{fromName}} would like you to take over as <strong>{{roleDescription}}</strong>.</p>
<p>If you agree, accept, and we will send you everything you need.</p>
<p><a href="{{acceptUrl}}" style="${buttonStyle}">Accept the hand-over</a></p>
<p>If not, ignore this email: nothing changes, and {{fromName}} stays the contact.</p>`,
};
