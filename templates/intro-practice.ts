/** To the practice champion: here is your event team, and what to do next. */
import type { EmailTemplate } from './render.js';
import { buttonStyle, type AnswerUrls } from './layout.js';

export interface IntroPracticeEvent {
  eventName: string;
  startTime: string;
  nextEventDate: string;
  directors: Array<{ name: string; email: string }>;
  hasDirectors: boolean;
  firstTimerContact?: { firstName: string; whereToFind: string };
  /** Where the champion says patients plan to come on a Saturday. */
  newcomersUrl: string;
  answers: AnswerUrls;
}

export interface IntroPracticeView {
  championName: string;
  practiceName: string;
  events: IntroPracticeEvent[];
  eventNames: string;
  /** The one action: an email to the first event's directors, addressed and ready. */
  mailtoDirectors?: string;
  firstEventName: string;
  /** Hands the practice's whole parkrun role over, so it appears once, not per event. */
  handOverPracticeUrl: string;
  /** Sent again at head office's request, not on registering. */
  resent?: boolean;
}

export const introPractice: EmailTemplate<IntroPracticeView> = {
  name: 'intro-practice',
  subject: 'Meet your parkrun team at {{eventNames}}',
  text: `Hello {{championName}},

{{^resent}}Thank you for registering {{practiceName}} as a parkrun practice. We have just introduced you to the event team{{#events.1}}s{{/events.1}}.{{/resent}}{{#resent}}parkrun's health team asked us to introduce {{practiceName}} and the event team{{#events.1}}s{{/events.1}} again.{{/resent}}
{{#events}}

{{eventName}} (Saturdays at {{startTime}})
{{#directors}}
Event director: {{name}}, {{email}}
{{/directors}}
{{^hasDirectors}}
We do not have an event director's address for {{eventName}} yet; parkrun's health team will put you in touch.
{{/hasDirectors}}
{{#firstTimerContact}}
Ask for {{firstName}} on the day: {{whereToFind}}.
{{/firstTimerContact}}
Next event: {{nextEventDate}}
Patients planning to come? Tell the event team: {{newcomersUrl}}
{{#answers}}{{> answers}}{{/answers}}
{{/events}}

What to do next:
1. Reply to your event director with a short hello, and say who at the practice is involved.
2. Come along on a Saturday, to walk, run or volunteer, and say hello at the first timers' briefing.
3. Tell your colleagues and put up the parkrun practice posters.

Someone else at the practice should be the contact? Hand over to them: {{handOverPracticeUrl}}`,
  html: `<p>Hello {{championName}},</p>
<p>{{^resent}}Thank you for registering <strong>{{practiceName}}</strong> as a parkrun practice. We have just introduced you to the event team{{#events.1}}s{{/events.1}}.{{/resent}}{{#resent}}parkrun's health team asked us to introduce <strong>{{practiceName}}</strong> and the event team{{#events.1}}s{{/events.1}} again.{{/resent}}</p>
{{#events}}
<h2 style="font-size:18px;margin:20px 0 4px;">{{eventName}}</h2>
<p style="margin:0 0 8px;">Saturdays at {{startTime}}. Next event: {{nextEventDate}}.</p>
{{#directors}}
<p style="margin:0;">Event director: {{name}}, <a href="mailto:{{email}}">{{email}}</a></p>
{{/directors}}
{{^hasDirectors}}
<p style="margin:0;">We do not have an event director's address for {{eventName}} yet; parkrun's health team will put you in touch.</p>
{{/hasDirectors}}
{{#firstTimerContact}}
<p style="margin:8px 0 0;">Ask for {{firstName}} on the day: {{whereToFind}}.</p>
{{/firstTimerContact}}
<p style="margin:8px 0 0;font-size:15px;"><a href="{{newcomersUrl}}">Patients planning to come? Tell the event team</a></p>
{{#answers}}{{> answers}}{{/answers}}
{{/events}}
<h2 style="font-size:18px;margin:20px 0 4px;">What to do next</h2>
<ol>
<li>Reply to your event director with a short hello, and say who at the practice is involved.</li>
<li>Come along on a Saturday, to walk, run or volunteer, and say hello at the first timers' briefing.</li>
<li>Tell your colleagues and put up the parkrun practice posters.</li>
</ol>
{{#mailtoDirectors}}<p><a href="{{mailtoDirectors}}" style="${buttonStyle}">Say hello to {{firstEventName}}</a></p>{{/mailtoDirectors}}
<p>Someone else at the practice should be the contact? <a href="{{handOverPracticeUrl}}">Hand over to them</a>.</p>`,
};
