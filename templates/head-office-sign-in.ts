/**
 * A head-office sign-in link, sent only to an allow-listed address that asked for it on
 * the sign-in page a moment ago. Not a mailing (see EmailTemplate.mailing): no footer, no
 * list headers. What the link does is rendered from the numbers it is issued and used
 * with (magic-links.ts linkTerms), never typed here.
 */
import type { EmailTemplate } from './render.js';
import { buttonStyle } from './layout.js';

export interface HeadOfficeSignInView {
  signInUrl: string;
  /** "15 minutes": how long the link works, from when it was sent. */
  lifetime: string;
  /** The link is spent by signing in. */
  once: boolean;
}

export const headOfficeSignIn: EmailTemplate<HeadOfficeSignInView> = {
  name: 'head-office-sign-in',
  mailing: false,
  subject: 'Your link to sign in to the head-office dashboard',
  text: `Hello,

You asked to sign in to the head-office dashboard. The link signs in this address only, while it is on the head-office list.

Sign in to the head-office dashboard (works {{#once}}once, {{/once}}for {{lifetime}}): {{signInUrl}}

If you did not ask for this, you can ignore this email: nothing has changed, and the link stops working by itself.`,
  html: `<p>Hello,</p>
<p>You asked to sign in to the head-office dashboard. The link works {{#once}}once, {{/once}}for {{lifetime}}, and signs in this address only, while it is on the head-office list.</p>
<p><a href="{{signInUrl}}" style="${buttonStyle}">Sign in to the head-office dashboard</a></p>
<p>If you did not ask for this, you can ignore this email: nothing has changed, and the link stops working by itself.</p>`,
};
