/**
 * Every email template by name: a held message (see core/mailer.ts) names its template,
 * and is rendered from it when its reader's window opens.
 */
import { contactLost } from './contact-lost.js';
import { eventDirectorDigest } from './event-director-digest.js';
import { feedbackAsk } from './feedback-emails.js';
import { firstTimerConfirm, newcomerNotice } from './first-timer-emails.js';
import { freshLink } from './fresh-link.js';
import { handoverOffer } from './handover-offer.js';
import { handoverWelcome } from './handover-welcome.js';
import { headOfficeSignIn } from './head-office-sign-in.js';
import { introEventTeam } from './intro-event-team.js';
import { introPractice } from './intro-practice.js';
import { quietLinkNudge } from './quiet-link-nudge.js';
import { registrationConfirmation } from './registration-confirmation.js';
import { replyFromStranger, replyRelay, replyStopped } from './reply-emails.js';
import type { EmailTemplate } from './render.js';
import { takeoverChoicesAgain, takeoverNotice, takeoverPrompt } from './takeover-emails.js';

const all: Array<EmailTemplate<never>> = [
  contactLost,
  eventDirectorDigest,
  feedbackAsk,
  firstTimerConfirm,
  newcomerNotice,
  freshLink,
  handoverOffer,
  handoverWelcome,
  headOfficeSignIn,
  introEventTeam,
  introPractice,
  quietLinkNudge,
  registrationConfirmation,
  replyRelay,
  replyStopped,
  replyFromStranger,
  takeoverNotice,
  takeoverPrompt,
  takeoverChoicesAgain,
] as Array<EmailTemplate<never>>;

export const templatesByName: ReadonlyMap<string, EmailTemplate<object>> = new Map(all.map((t) => [t.name, t as EmailTemplate<object>]));
