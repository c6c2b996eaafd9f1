/** To each event director of a chosen event: a practice has just registered with you. */
import type { EmailTemplate } from './render.js';
import { buttonStyle, type AnswerUrls } from './layout.js';

export interface IntroEventTeamView {
  directorName: string;
  eventName: string;
  practiceName: string;
  practiceCode: string;
  practicePostcode: string;
  championName: string;
  championRole: string;
  championEmail: string;
  championPhone?: string;
  /** True when the practice says it has already been in touch with the event team. */
  contactedEventTeam: boolean;
  /** Sent again at head office's request, not on registering. */
  resent?: boolean;
  nextEventDate: string;
  mailtoChampion: string;
  answers: AnswerUrls;
  /** Where a director names (or changes) the event's first-timer contact. */
  firstTimerContactUrl: string;
}

export const introEventTeam: EmailTemplate<IntroEventTeamView> = {
  name: 'intro-event-team',
  subject: '{{practiceName}} has linked with {{eventName}}',
  text: `Hello {{directorName}},

{{^resent}}{{practiceName}} ({{practicePostcode}}) has just registered as a parkrun practice linked with {{eventName}}.{{/resent}}{{#resent}}parkrun's health team asked us to introduce you again: {{practiceName}} ({{practicePostcode}}) is a parkrun practice linked with {{eventName}}.{{/resent}}

Their contact is:
{{championName}}, {{championRole}}
{{championEmail}}
{{#championPhone}}{{championPhone}}
{{/championPhone}}
{{#contactedEventTeam}}They say they have already been in touch with your team.{{/contactedEventTeam}}{{^contactedEventTeam}}They have not contacted your team yet, so this email is their introduction.{{/contactedEventTeam}}

What next: nothing is needed from you today. If you can, reply to {{championName}} with a hello; we have asked them to say hello at {{eventName}}, perhaps on {{nextEventDate}}.

Email {{championName}}: {{championEmail}}

Already in touch, or something to tell us? One tap, no login:
{{#answers}}{{> answers}}{{/answers}}

Name a first-timer contact, so practices can tell patients whom to ask for: {{firstTimerContactUrl}}`,
  html: `<p>Hello {{directorName}},</p>
<p>{{^resent}}<strong>{{practiceName}}</strong> ({{practicePostcode}}) has just registered as a parkrun practice linked with <strong>{{eventName}}</strong>.{{/resent}}{{#resent}}parkrun's health team asked us to introduce you again: <strong>{{practiceName}}</strong> ({{practicePostcode}}) is a parkrun practice linked with <strong>{{eventName}}</strong>.{{/resent}}</p>
<p>Their contact is:<br>
{{championName}}, {{championRole}}<br>
<a href="mailto:{{championEmail}}">{{championEmail}}</a>{{#championPhone}}<br>
{{championPhone}}{{/championPhone}}</p>
<p>{{#contactedEventTeam}}They say they have already been in touch with your team.{{/contactedEventTeam}}{{^contactedEventTeam}}They have not contacted your team yet, so this email is their introduction.{{/contactedEventTeam}}</p>
<p>Nothing is needed from you today. If you can, say hello; we have asked them to come along to {{eventName}}, perhaps on {{nextEventDate}}.</p>
<p><a href="{{mailtoChampion}}" style="${buttonStyle}">Email {{championName}}</a></p>
<p style="margin:20px 0 0;">Already in touch, or something to tell us? One tap, no login:</p>
{{#answers}}{{> answers}}{{/answers}}
<p style="font-size:15px;"><a href="{{firstTimerContactUrl}}">Name a first-timer contact</a>, so practices can tell patients whom to ask for.</p>`,
};
