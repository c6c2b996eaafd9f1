/**
 * What a practice must tell us to register, validated at the edge (JSON API and HTML
 * form alike). Values are normalised here so everything downstream sees one spelling.
 */
import * as z from '../zod.js';
import { emailAddress, plainText, toValidationError } from './input-rules.js';
import { normaliseName } from './event-names.js';

/** England and Wales: ODS code, a letter and five digits (A81001). Scotland: five digits. */
export const practiceCodePattern = /^(?:[A-Z]\d{5}|\d{5})$/;
/** UK postcode, outward and inward parts (SW1A 1AA, M1 1AE, B33 8TH, CR2 6XH, DN55 1PT). */
export const ukPostcodePattern = /^(?:[A-Z]{1,2}\d[A-Z\d]?) ?\d[A-Z]{2}$/;
export const eventShortNamePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const maxEventsPerRegistration = 5;
const maxEventNameLength = 100;
/** Control characters, line breaks and lone surrogates: no event is called that. */
const badEventName = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udfff]/u;

const yesNo = z.union([z.boolean(), z.pipe(z.enum(['yes', 'no']), z.transform((v: 'yes' | 'no') => v === 'yes'))], {
  error: 'Say whether you have already contacted the event team (yes or no)',
});

export const registrationInputSchema = z.object({
  practiceCode: z
    .pipe(
      z.string({ error: 'Practice code is required' }).check(z.trim()),
      z.transform((v: string) => v.toUpperCase()),
    )
    .check(z.refine((v) => practiceCodePattern.test(v), 'Practice code must be an ODS code such as A81001 (or a five-digit Scottish practice code)')),
  practiceName: plainText('Practice name', 120),
  postcode: z.pipe(
    z
      .pipe(
        z.string({ error: 'Postcode is required' }).check(z.trim()),
        z.transform((v: string) => v.toUpperCase().replace(/\s+/g, ' ')),
      )
      .check(z.refine((v) => ukPostcodePattern.test(v), 'Postcode must be a UK postcode such as SW1A 1AA')),
    z.transform((v: string) => v.replace(/^(\S+?) ?(\d[A-Z]{2})$/, '$1 $2')),
  ),
  champion: z.object(
    {
      name: plainText('Champion name', 100),
      role: plainText('Champion role', 60),
      email: emailAddress('Champion email'),
      phone: z.pipe(
        z.optional(
          z.union([
            z.string().check(z.trim(), z.maxLength(0)),
            z.string().check(z.trim(), z.regex(/^\+?[\d ()-]{7,20}$/, 'Champion phone must be a phone number such as 020 7946 0000')),
          ]),
        ),
        z.transform((v: string | undefined) => (v ? v : undefined)),
      ),
    },
    { error: 'Champion details are required' },
  ),
  // By short name (`bushy`) or long name (`Bushy parkrun`), in any case: the use case finds the event.
  events: z
    .pipe(
      z.array(z.string(), { error: 'Choose at least one parkrun event' }),
      z.transform((names: string[]) => {
        const seen = new Map<string, string>();
        for (const name of names.map((n) => n.trim().replace(/\s+/g, ' ')).filter((n) => n.length > 0)) if (!seen.has(normaliseName(name))) seen.set(normaliseName(name), name);
        return [...seen.values()];
      }),
    )
    .check(
      z.refine((names) => names.length > 0, 'Choose at least one parkrun event'),
      z.refine((names) => names.length <= maxEventsPerRegistration, `Choose at most ${maxEventsPerRegistration} events`),
      z.refine((names) => names.every((n) => n.length <= maxEventNameLength && !badEventName.test(n)), 'Name each event by its short name, such as bushy, or its full name, such as Bushy parkrun'),
    ),
  contactedEventTeam: yesNo,
});

export type RegistrationInput = z.output<typeof registrationInputSchema>;

/** Parses untrusted input or throws ValidationError with one message per field. */
export function parseRegistrationInput(input: unknown): RegistrationInput {
  const result = registrationInputSchema.safeParse(input);
  if (result.success) return result.data;
  throw toValidationError(result.error);
}
