/** Rules shared by every form and JSON body the product accepts. */
import * as z from '../zod.js';
import { ValidationError } from '../errors.js';

/**
 * Required, trimmed, at most `max` characters, and on one line (nothing can reach an email
 * header). `first` are checked after the line and before the length: a form shows one
 * problem a field, so a person is told the more useful one (a link in a name, rather than
 * its length).
 */
const lineChecks = (field: string, max: number, ...first: z.core.$ZodCheck<string>[]) =>
  [
    z.trim(),
    z.minLength(1, `${field} is required`),
    z.refine<string>((v) => !/[\r\n\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udfff]/u.test(v), `${field} must be a single line of text`),
    ...first,
    z.maxLength(max, `${field} must be at most ${max} characters`),
  ] as const;

export const oneLine = (field: string, max: number) => z.string({ error: `${field} is required` }).check(...lineChecks(field, max));

/**
 * What no name or free-text answer may carry, so a form can never put a link, an address
 * or markup into an email under our name: web addresses (a scheme, `www.`, or a domain
 * with a common top-level name), email addresses, markup, and template or link markers.
 * Each with the message a person sees.
 */
const notPlainText: Array<{ pattern: RegExp; says: string }> = [
  // First: an email address also holds a domain, and the message should say what it is.
  { pattern: /@/, says: 'an email address' },
  { pattern: /[a-z][a-z0-9+.-]*:\/\/|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|uk|co|io|info|biz|gov|nhs|me|app|xyz|ly|ru|cn|de|fr|eu|us|ie|example|site|online|link|click|top|live|shop|ai|dev)\b/i, says: 'a web address' },
  { pattern: /[<>]/, says: 'markup such as < or >' },
  { pattern: /\{\{|\}\}|\$\{|\[[a-z][a-z-]*:/i, says: 'markers such as {{…}} or [link:…]' },
];

/** The problem with a name or free text, or undefined when it is plain text. */
export function plainTextProblem(label: string, value: string): string | undefined {
  const found = notPlainText.find((rule) => rule.pattern.test(value));
  return found ? `${label} must be plain text, without ${found.says}` : undefined;
}

/**
 * A name or a short answer a person types, which may appear in an email to someone else:
 * one line, as oneLine, and plain text (no links, addresses or markup smuggled in), which
 * is said before the length.
 */
export const plainText = (field: string, max: number) =>
  z.string({ error: `${field} is required` }).check(
    ...lineChecks(
      field,
      max,
      z.superRefine<string>((v, ctx) => {
        const problem = plainTextProblem(field, v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, input: v });
      }),
    ),
  );

/** An email address: trimmed, lower case, at most 254 characters. */
export const emailAddress = (field: string) =>
  z.pipe(z.string({ error: `${field} is required` }).check(z.trim(), z.toLowerCase()), z.email(`${field} must be a valid email address`).check(z.maxLength(254)));

/** A zod failure as ValidationError: the first message for each field, by its path. */
export function toValidationError(error: z.core.$ZodError): ValidationError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.length > 0 ? issue.path.join('.') : 'body'] ??= issue.message;
  return new ValidationError(fields);
}

/** The oneLine rule for a single value outside a schema (an import's cell): its problem, or undefined when it passes. */
export function oneLineProblem(field: string, value: string, max: number, label = field): { field: string; reason: string } | undefined {
  const result = oneLine(label, max).safeParse(value);
  return result.success ? undefined : { field, reason: result.error.issues[0]?.message ?? `${label} is not valid` };
}
