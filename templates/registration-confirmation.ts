/**
 * "Confirm your parkrun practice registration": the only email a registration sends
 * before its champion confirms it. It goes to the champion's own inbox (for a practice
 * already on record, its champion on record), so a form filled in by anyone else mails
 * nobody but the person it names, and reaches no event team.
 */
import type { EmailTemplate } from './render.js';
import { buttonStyle } from './layout.js';

export interface RegistrationConfirmationView {
  championName: string;
  practiceName: string;
  eventNames: string;
  /** The practice is on record with this champion: someone asked to link it with more events. */
  onRecord: boolean;
  confirmUrl: string;
  /** "14 December 2026": the day the link, and the registration, lapse. */
  until: string;
}

export const registrationConfirmation: EmailTemplate<RegistrationConfirmationView> = {
  name: 'registration-confirmation',
  subject: 'Confirm your parkrun practice registration',
  text: `Hello {{championName}},

{{#onRecord}}Someone asked to link {{practiceName}}, where you are the parkrun practice contact, with {{eventNames}}.{{/onRecord}}{{^onRecord}}{{practiceName}} has been registered as a parkrun practice linked with {{eventNames}}, with you as its parkrun champion.{{/onRecord}}

If that is right, confirm it, and we will introduce you to the event team: {{confirmUrl}}

If not, ignore this email: nothing happens, nobody else is told, and we forget the registration after {{until}}.`,
  html: `<p>Hello {{championName}},</p>
<p>{{#onRecord}}Someone asked to link <strong>{{practiceName}}</strong>, where you are the parkrun practice contact, with {{eventNames}}.{{/onRecord}}{{^onRecord}}<strong>{{practiceName}}</strong> has been registered as a parkrun practice linked with {{eventNames}}, with you as its parkrun champion.{{/onRecord}}</p>
<p>If that is right, confirm it, and we will introduce you to the event team.</p>
<p><a href="{{confirmUrl}}" style="${buttonStyle}">Confirm the registration</a></p>
<p>If not, ignore this email: nothing happens, nobody else is told, and we forget the registration after {{until}}.</p>`,
};
