/** What an event director may say about their event's first-timer contact: a volunteer's first name, where to find them, and an optional email. */
import * as z from '../zod.js';
import type { FirstTimerContact } from '../model.js';
import { parseWith, strictForm } from './feedback-input.js';
import { plainText } from './input-rules.js';

/** Not FirstTimerContact's definition: the form also takes an empty email, which the stored contact leaves out. */
const contactForm = strictForm({
  firstName: plainText('Their first name', 40),
  whereToFind: plainText('Where to find them', 200).check(z.refine((v) => v.length >= 5, 'Say where newcomers can find them, e.g. "by the start funnel in a pink vest at 08:50"')),
  email: z.optional(
    z.pipe(
      z.string().check(z.trim(), z.toLowerCase()),
      z.union([z.literal(''), z.email('Enter a valid email address, or leave it empty').check(z.maxLength(254))]),
    ),
  ),
});

export function parseFirstTimerContact(input: Record<string, unknown>): FirstTimerContact {
  const form = parseWith(contactForm, input);
  return { firstName: form.firstName, whereToFind: form.whereToFind, ...(form.email ? { email: form.email } : {}) };
}
