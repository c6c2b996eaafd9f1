/** To the practice champion, when their link with an event has gone quiet. */
import type { EmailTemplate } from './render.js';
import { buttonStyle, type AnswerUrls } from './layout.js';

export interface QuietLinkNudgeView {
  championName: string;
  practiceName: string;
  eventName: string;
  weeksQuiet: number;
  /** The second nudge says the event team will now hear of it too. */
  secondNudge: boolean;
  directors: Array<{ name: string; email: string }>;
  mailtoDirectors?: string;
  nextEventDate: string;
  answers: AnswerUrls;
}

export const quietLinkNudge: EmailTemplate<QuietLinkNudgeView> = {
  name: 'quiet-link-nudge',
  subject: '{{#secondNudge}}Still there? {{/secondNudge}}{{practiceName}} and {{eventName}}: time to say hello',
  text: `Hello {{championName}},

We have not heard of any contact between {{practiceName}} and {{eventName}} for {{weeksQuiet}} weeks. Links like yours last when someone at the practice keeps them going, and a short hello is enough.
{{#secondNudge}}

We will also mention it to the event team in their next summary, in case they can help.
{{/secondNudge}}

{{#directors}}
Event director: {{name}}, {{email}}
{{/directors}}
Next event: {{nextEventDate}}

Already in touch? Tell us in one tap, and we will not ask again for a while:
{{#answers}}{{> answers}}{{/answers}}`,
  html: `<p>Hello {{championName}},</p>
<p>We have not heard of any contact between <strong>{{practiceName}}</strong> and <strong>{{eventName}}</strong> for {{weeksQuiet}} weeks. Links like yours last when someone at the practice keeps them going, and a short hello is enough.</p>
{{#secondNudge}}<p>We will also mention it to the event team in their next summary, in case they can help.</p>{{/secondNudge}}
{{#directors}}<p style="margin:0;">Event director: {{name}}, <a href="mailto:{{email}}">{{email}}</a></p>{{/directors}}
<p>Next event: {{nextEventDate}}.</p>
{{#mailtoDirectors}}<p><a href="{{mailtoDirectors}}" style="${buttonStyle}">Say hello to {{eventName}}</a></p>{{/mailtoDirectors}}
<p style="margin:20px 0 0;">Already in touch? Tell us in one tap, and we will not ask again for a while:</p>
{{#answers}}{{> answers}}{{/answers}}`,
};
