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
  dates: Array<{ label: string; url: string }>;
  notThisYearUrl: string;
}

export const takeoverPrompt: EmailTemplate<TakeoverPromptView> = {
  name: 'takeover-prompt',
  subject: 'Could {{practiceName}} take over {{eventName}} one Saturday?',
  text: `Hello {{championName}},

A takeover is a Saturday when practice staff fill every volunteer role at {{eventName}}: marshals, timekeepers, tail walker, the lot. The event team shows you how, and it is a good morning out for a practice team.

Pick a Saturday that might suit, and we will ask the event team:
{{#dates}}
{{label}}: {{url}}
{{/dates}}

Not this year: {{notThisYearUrl}}`,
  html: `<p>Hello {{championName}},</p>
<p>A takeover is a Saturday when practice staff fill every volunteer role at {{eventName}}: marshals, timekeepers, tail walker, the lot. The event team shows you how, and it is a good morning out for a practice team.</p>
<p>Pick a Saturday that might suit, and we will ask the event team:</p>
<ul>{{#dates}}<li style="margin:6px 0;"><a href="{{url}}">{{label}}</a></li>{{/dates}}</ul>
<p style="font-size:15px;"><a href="{{notThisYearUrl}}">Not this year</a></p>`,
};

export interface TakeoverNoticeView {
  greeting: string;
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
}

/** The countdown reminders and the "it's fixed" news share one plain shape. */
export const takeoverNotice: EmailTemplate<TakeoverNoticeView> = {
  name: 'takeover-notice',
  subject: '{{subject}}',
  text: `Hello {{greeting}},
{{#paragraphs}}

{{.}}
{{/paragraphs}}
{{#action}}

{{label}}: {{url}}
{{/action}}`,
  html: `<p>Hello {{greeting}},</p>
{{#paragraphs}}<p>{{.}}</p>{{/paragraphs}}
{{#action}}<p><a href="{{url}}" style="${buttonStyle}">{{label}}</a></p>{{/action}}`,
};
