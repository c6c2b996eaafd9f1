/**
 * The takeover emails: the planning prompt, the news that a day is fixed, and the
 * countdown reminders. Each is short paragraphs and at most one main action.
 */
import type { EmailTemplate } from './render.js';
import { buttonStyle } from './layout.js';

export interface TakeoverPromptView {
  championName: string;
  practiceName: string;
  eventName: string;
  /** Set when the event team could not do the days offered before. */
  declineReason?: string;
  dates: Array<{ label: string; url: string }>;
  notThisYearUrl: string;
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

Not this year: {{notThisYearUrl}}`,
  html: `<p>Hello {{championName}},</p>
{{#declineReason}}<p>The {{eventName}} team cannot do the Saturdays you offered: &ldquo;{{declineReason}}&rdquo;. Would another day suit?</p>{{/declineReason}}
<p>A takeover is a Saturday when practice staff fill every volunteer role at {{eventName}}: marshals, timekeepers, tail walker, the lot. The event team shows you how, and it is a good morning out for a practice team.</p>
<p>Pick a Saturday that might suit, and we will ask the event team:</p>
<ul>{{#dates}}<li style="margin:6px 0;"><a href="{{url}}">{{label}}</a></li>{{/dates}}</ul>
<p style="font-size:15px;"><a href="{{notThisYearUrl}}">Not this year</a></p>`,
};

export interface TakeoverNoticeView {
  greeting: string;
  subject: string;
  paragraphs: string[];
  /** One-tap answers, such as how many roles are filled. */
  choices?: Array<{ label: string; url: string }>;
  action?: { label: string; url: string };
  change?: { label: string; url: string };
}

/** The countdown reminders and the "it's fixed" news share one plain shape. */
export const takeoverNotice: EmailTemplate<TakeoverNoticeView> = {
  name: 'takeover-notice',
  subject: '{{subject}}',
  text: `Hello {{greeting}},
{{#paragraphs}}

{{.}}
{{/paragraphs}}
{{#choices}}

{{label}}: {{url}}
{{/choices}}
{{#action}}

{{label}}: {{url}}
{{/action}}
{{#change}}

{{label}}: {{url}}
{{/change}}`,
  html: `<p>Hello {{greeting}},</p>
{{#paragraphs}}<p>{{.}}</p>{{/paragraphs}}
{{#choices}}<p style="margin:6px 0;"><a href="{{url}}">{{label}}</a></p>{{/choices}}
{{#action}}<p><a href="{{url}}" style="${buttonStyle}">{{label}}</a></p>{{/action}}
{{#change}}<p style="font-size:15px;"><a href="{{url}}">{{label}}</a></p>{{/change}}`,
};
