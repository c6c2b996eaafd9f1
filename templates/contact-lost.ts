/** To an event's directors and to head office: a practice's contact address no longer works. */
import type { EmailTemplate } from './render.js';

export interface ContactLostView {
  greeting: string;
  practiceName: string;
  practicePostcode: string;
  championName: string;
  championEmail: string;
  eventName: string;
  forHeadOffice: boolean;
}

export const contactLost: EmailTemplate<ContactLostView> = {
  name: 'contact-lost',
  subject: 'We can no longer reach {{practiceName}}',
  text: `Hello {{greeting}},

Emails to {{championName}} ({{championEmail}}), the parkrun practice contact for {{practiceName}} ({{practicePostcode}}), are being returned as undeliverable. They may have moved on.

We have stopped sending reminders about the link between {{practiceName}} and {{eventName}}.
{{^forHeadOffice}}
If you know who looks after parkrun at the practice now, reply to this email with their name and address and we will put them in touch.{{/forHeadOffice}}{{#forHeadOffice}}
The link is marked as contact lost on the dashboard.{{/forHeadOffice}}`,
  html: `<p>Hello {{greeting}},</p>
<p>Emails to {{championName}} ({{championEmail}}), the parkrun practice contact for <strong>{{practiceName}}</strong> ({{practicePostcode}}), are being returned as undeliverable. They may have moved on.</p>
<p>We have stopped sending reminders about the link between {{practiceName}} and {{eventName}}.</p>
{{^forHeadOffice}}<p>If you know who looks after parkrun at the practice now, reply to this email with their name and address and we will put them in touch.</p>{{/forHeadOffice}}
{{#forHeadOffice}}<p>The link is marked as contact lost on the dashboard.</p>{{/forHeadOffice}}`,
};
