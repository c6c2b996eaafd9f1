/** An event director's summary: everything that waits for them, at most once in the digest interval (NUDGE_DIGEST_INTERVAL_DAYS). */
import type { EmailTemplate } from './render.js';
import { buttonStyle, type AnswerUrls } from './layout.js';

export interface DigestLink {
  practiceName: string;
  championName: string;
  championRole: string;
  championEmail: string;
  weeksQuiet: number;
  answers: AnswerUrls;
}

/** A practice the go-live import linked with the event: who to talk to, and the one-tap answers. */
export interface DigestNewPractice {
  practiceName: string;
  practicePostcode: string;
  championName: string;
  championRole: string;
  championEmail: string;
  championPhone?: string;
  answers: AnswerUrls;
}

export interface DigestProposal {
  practiceName: string;
  championName: string;
  championEmail: string;
  dates: string;
  acceptUrl: string;
  /** The page both sides of this link share. */
  partnershipUrl?: string;
}

export interface DigestFeedback {
  month: string;
  /** " (Bushy parkrun)" when the digest covers several events; empty otherwise. */
  eventName: string;
  rows: Array<{ practiceName: string; text: string }>;
  totals: string;
  contact: string;
  contactUrl: string;
}

export interface DigestContactNeeded {
  practiceName: string;
  eventName: string;
  url: string;
  /** The page both sides of this link share. */
  partnershipUrl?: string;
}

/** A fixed takeover about six weeks ahead: who is coming, and how to move or cancel. */
export interface DigestTakeoverComing {
  practiceName: string;
  /** "Saturday 6 March 2027". */
  day: string;
  championName: string;
  championEmail: string;
  changeUrl: string;
  /** The page both sides of this link share. */
  partnershipUrl?: string;
}

/** A takeover whose day has passed with nobody yet saying how it went. */
export interface DigestTakeoverOutcome {
  practiceName: string;
  day: string;
  url: string;
}

export interface EventDirectorDigestView {
  directorName: string;
  eventName: string;
  /** The subject's summary: "2 practice links could do with a hello", "a practice would like to take over". */
  summary: string;
  /** Practices newly linked with the event by head office's import (their introduction). */
  newPractices: DigestNewPractice[];
  links: DigestLink[];
  hasLinks: boolean;
  proposals: DigestProposal[];
  hasProposals: boolean;
  /** With takeover offers: where to mark the Saturdays the event cannot host. */
  unavailableUrl?: string;
  /** The month's attendance feedback from linked practices, counts only. */
  summaries: DigestFeedback[];
  /** Patients are coming and the event has no confirmed first-timer contact. */
  contactNeeded: DigestContactNeeded[];
  coming: DigestTakeoverComing[];
  outcomes: DigestTakeoverOutcome[];
}

export const eventDirectorDigest: EmailTemplate<EventDirectorDigestView> = {
  name: 'event-director-digest',
  subject: '{{eventName}}: {{summary}}',
  text: `Hello {{directorName}},

Your summary from parkrun practice nudges.
{{#newPractices.length}}

These parkrun practices are linked with your event. Their contact is below; a hello from you goes a long way.
{{/newPractices.length}}
{{#newPractices}}

{{practiceName}} ({{practicePostcode}})
{{championName}}, {{championRole}}, {{championEmail}}{{#championPhone}}, {{championPhone}}{{/championPhone}}
{{#answers}}{{> answers}}{{/answers}}
{{/newPractices}}
{{#contactNeeded}}

Patients from {{practiceName}} plan to come to their first {{eventName}}.
Name a first-timer contact, so practices can tell newcomers whom to ask for: {{url}}
{{#partnershipUrl}}
See your partnership with {{practiceName}}: {{partnershipUrl}}
{{/partnershipUrl}}
{{/contactNeeded}}
{{#summaries}}

What practices told us about {{month}}{{eventName}}:
{{#rows}}
{{practiceName}}: {{text}}
{{/rows}}
In all: {{totals}}.
{{contact}}: {{contactUrl}}
{{/summaries}}
{{#coming}}

Coming up: {{practiceName}}'s team takes over on {{day}}, filling the volunteer roles. Their contact is {{championName}}, {{championEmail}}.
Move or cancel the takeover: {{changeUrl}}
{{#partnershipUrl}}
See your partnership with {{practiceName}}: {{partnershipUrl}}
{{/partnershipUrl}}
{{/coming}}
{{#outcomes}}

How did {{practiceName}}'s takeover on {{day}} go?
Tell us how it went: {{url}}
{{/outcomes}}
{{#hasProposals}}

Takeover offers: a practice team would like to run every volunteer role one Saturday.
{{#proposals}}

{{practiceName}} ({{championName}}, {{championEmail}}) offers: {{dates}}
Choose a date or say no: {{acceptUrl}}
{{#partnershipUrl}}
See your partnership with {{practiceName}}: {{partnershipUrl}}
{{/partnershipUrl}}
{{/proposals}}
{{#unavailableUrl}}

Mark Saturdays your event cannot host: {{unavailableUrl}}
{{/unavailableUrl}}
{{/hasProposals}}
{{#hasLinks}}

We have reminded these practices, and not heard of any contact since:
{{/hasLinks}}
{{#links}}

{{practiceName}}: quiet for {{weeksQuiet}} weeks
{{championName}}, {{championRole}}, {{championEmail}}
{{#answers}}{{> answers}}{{/answers}}
{{/links}}

Nothing else is needed from you.`,
  html: `<p>Hello {{directorName}},</p>
<p>Your summary from parkrun practice nudges.</p>
{{#newPractices.length}}<h2 style="font-size:18px;margin:20px 0 4px;">Practices linked with your event</h2>
<p>Their contact is below; a hello from you goes a long way.</p>{{/newPractices.length}}
{{#newPractices}}<h3 style="font-size:16px;margin:16px 0 4px;">{{practiceName}} ({{practicePostcode}})</h3>
<p style="margin:0;">{{championName}}, {{championRole}}, <a href="mailto:{{championEmail}}">{{championEmail}}</a>{{#championPhone}}, {{championPhone}}{{/championPhone}}</p>
{{#answers}}{{> answers}}{{/answers}}
{{/newPractices}}
{{#contactNeeded}}<p>Patients from <strong>{{practiceName}}</strong> plan to come to their first {{eventName}}.<br>
<a href="{{url}}" style="${buttonStyle}">Name a first-timer contact</a></p>
{{#partnershipUrl}}<p style="font-size:15px;"><a href="{{partnershipUrl}}">See your partnership with {{practiceName}}</a></p>{{/partnershipUrl}}{{/contactNeeded}}
{{#summaries}}<h2 style="font-size:18px;margin:20px 0 4px;">What practices told us about {{month}}{{eventName}}</h2>
<ul>{{#rows}}<li><strong>{{practiceName}}</strong>: {{text}}</li>{{/rows}}</ul>
<p style="margin:0;">In all: {{totals}}.</p>
<p style="font-size:15px;"><a href="{{contactUrl}}">{{contact}}</a></p>{{/summaries}}
{{#coming}}<p>Coming up: <strong>{{practiceName}}</strong>'s team takes over on {{day}}, filling the volunteer roles. Their contact is {{championName}}, <a href="mailto:{{championEmail}}">{{championEmail}}</a>.<br>
<a href="{{changeUrl}}">Move or cancel the takeover</a></p>
{{#partnershipUrl}}<p style="font-size:15px;"><a href="{{partnershipUrl}}">See your partnership with {{practiceName}}</a></p>{{/partnershipUrl}}{{/coming}}
{{#outcomes}}<p>How did <strong>{{practiceName}}</strong>'s takeover on {{day}} go?<br>
<a href="{{url}}" style="${buttonStyle}">Tell us how it went</a></p>{{/outcomes}}
{{#hasProposals}}<h2 style="font-size:18px;margin:20px 0 4px;">Takeover offers</h2>
<p>A practice team would like to run every volunteer role one Saturday.</p>
{{#proposals}}<p><strong>{{practiceName}}</strong> ({{championName}}, <a href="mailto:{{championEmail}}">{{championEmail}}</a>) offers: {{dates}}.<br>
<a href="{{acceptUrl}}" style="${buttonStyle}">Choose a date or say no</a></p>
{{#partnershipUrl}}<p style="font-size:15px;"><a href="{{partnershipUrl}}">See your partnership with {{practiceName}}</a></p>{{/partnershipUrl}}{{/proposals}}
{{#unavailableUrl}}<p style="font-size:15px;"><a href="{{unavailableUrl}}">Mark Saturdays your event cannot host</a></p>{{/unavailableUrl}}{{/hasProposals}}
{{#hasLinks}}<p>We have reminded these practices, and not heard of any contact since:</p>{{/hasLinks}}
{{#links}}
<h2 style="font-size:18px;margin:20px 0 4px;">{{practiceName}}</h2>
<p style="margin:0;">Quiet for {{weeksQuiet}} weeks. {{championName}}, {{championRole}}, <a href="mailto:{{championEmail}}">{{championEmail}}</a></p>
{{#answers}}{{> answers}}{{/answers}}
{{/links}}
<p>Nothing else is needed from you.</p>`,
};
