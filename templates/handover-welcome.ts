/** To a successor: a colleague has handed their parkrun practice role over to you. */
import type { EmailTemplate } from './render.js';
import type { AnswerUrls } from './layout.js';

export interface HandoverWelcomeLink {
  /** The other side of the link: an event (for a champion) or a practice (for a director). */
  title: string;
  contacts: Array<{ label: string; email: string }>;
  answers: AnswerUrls;
}

export interface HandoverWelcomeView {
  successorName: string;
  fromName: string;
  /** "the parkrun practice contact for Riverside Surgery" or "an event director of Bushy parkrun" */
  roleDescription: string;
  links: HandoverWelcomeLink[];
  hasLinks: boolean;
  handOverUrl?: string;
}

export const handoverWelcome: EmailTemplate<HandoverWelcomeView> = {
  name: 'handover-welcome',
  subject: '{{fromName}} has handed over to you: {{roleDescription}}',
  text: `Hello {{successorName}},

{{fromName}} has named you as {{roleDescription}}, taking over from them. Welcome!
{{#hasLinks}}

These are the links you now look after:
{{/hasLinks}}
{{#links}}

{{title}}
{{#contacts}}
{{label}}: {{email}}
{{/contacts}}
{{#answers}}{{> answers}}{{/answers}}
{{/links}}

There is nothing to set up and no account: every email we send has links like these that work in one tap.
{{#handOverUrl}}Not you, or moving on yourself? Hand over to a colleague: {{handOverUrl}}{{/handOverUrl}}`,
  html: `<p>Hello {{successorName}},</p>
<p>{{fromName}} has named you as {{roleDescription}}, taking over from them. Welcome!</p>
{{#hasLinks}}<p>These are the links you now look after:</p>{{/hasLinks}}
{{#links}}
<h2 style="font-size:18px;margin:20px 0 4px;">{{title}}</h2>
{{#contacts}}<p style="margin:0;">{{label}}: <a href="mailto:{{email}}">{{email}}</a></p>{{/contacts}}
{{#answers}}{{> answers}}{{/answers}}
{{/links}}
<p>There is nothing to set up and no account: every email we send has links like these that work in one tap.</p>
{{#handOverUrl}}<p>Not you, or moving on yourself? <a href="{{handOverUrl}}">Hand over to a colleague</a>.</p>{{/handOverUrl}}`,
};
