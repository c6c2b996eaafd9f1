/** An event director's weekly summary: every one of their links that needs attention, at most once a week. */
import type { EmailTemplate } from './render.js';
import type { AnswerUrls } from './layout.js';

export interface DigestLink {
  practiceName: string;
  championName: string;
  championRole: string;
  championEmail: string;
  weeksQuiet: number;
  answers: AnswerUrls;
}

export interface EventDirectorDigestView {
  directorName: string;
  eventName: string;
  links: DigestLink[];
  count: number;
  plural: boolean;
}

export const eventDirectorDigest: EmailTemplate<EventDirectorDigestView> = {
  name: 'event-director-digest',
  subject: '{{eventName}}: {{count}} practice link{{#plural}}s{{/plural}} could do with a hello',
  text: `Hello {{directorName}},

Your weekly summary from parkrun practice nudges. We have reminded these practices, and not heard of any contact since:
{{#links}}

{{practiceName}}: quiet for {{weeksQuiet}} weeks
{{championName}}, {{championRole}}, {{championEmail}}
{{#answers}}{{> answers}}{{/answers}}
{{/links}}

Nothing else is needed from you. If you are in touch, one tap above stops the reminders.`,
  html: `<p>Hello {{directorName}},</p>
<p>Your weekly summary from parkrun practice nudges. We have reminded these practices, and not heard of any contact since:</p>
{{#links}}
<h2 style="font-size:18px;margin:20px 0 4px;">{{practiceName}}</h2>
<p style="margin:0;">Quiet for {{weeksQuiet}} weeks. {{championName}}, {{championRole}}, <a href="mailto:{{championEmail}}">{{championEmail}}</a></p>
{{#answers}}{{> answers}}{{/answers}}
{{/links}}
<p>Nothing else is needed from you. If you are in touch, one tap above stops the reminders.</p>`,
};
