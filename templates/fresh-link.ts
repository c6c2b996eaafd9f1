/**
 * Sent only when someone asks for it, from a page that told them their link had expired or
 * been used. A mailing all the same (see EmailTemplate.mailing): it goes to someone who gets
 * our nudges, and its footer is how they stop them.
 */
import type { EmailTemplate } from './render.js';
import { buttonStyle } from './layout.js';

export interface FreshLinkView {
  /** What the link does: "Tell us you're in touch", "Choose which emails you get". */
  actionLabel: string;
  /** What it is about: "Riverside Surgery and Bushy parkrun"; absent for email preferences. */
  about?: string;
  /** The action's page; absent for email preferences, which use the footer's link. */
  actionUrl?: string;
  /** "14 days": how long the action's link works (magic-links.ts linkTerms); with actionUrl. */
  lifetime?: string;
  /** The action's link is spent by using it. */
  once?: boolean;
}

export const freshLink: EmailTemplate<FreshLinkView> = {
  name: 'fresh-link',
  subject: 'Your new link: {{actionLabel}}',
  text: `Hello,

You asked for a new link{{#about}} for {{about}}{{/about}}.{{#actionUrl}} It works {{#once}}once, {{/once}}for {{lifetime}}.{{/actionUrl}}

{{actionLabel}}: {{#actionUrl}}{{actionUrl}}{{/actionUrl}}{{^actionUrl}}{{preferencesUrl}}{{/actionUrl}}

If you did not ask for this, you can ignore this email: nothing has changed.`,
  html: `<p>Hello,</p>
<p>You asked for a new link{{#about}} for {{about}}{{/about}}.{{#actionUrl}} It works {{#once}}once, {{/once}}for {{lifetime}}.{{/actionUrl}}</p>
<p><a href="{{#actionUrl}}{{actionUrl}}{{/actionUrl}}{{^actionUrl}}{{preferencesUrl}}{{/actionUrl}}" style="${buttonStyle}">{{actionLabel}}</a></p>
<p>If you did not ask for this, you can ignore this email: nothing has changed.</p>`,
};
