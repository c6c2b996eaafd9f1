/** Rules shared by every form and JSON body the product accepts. */
import * as z from '../zod.js';
import { ValidationError } from '../errors.js';

/** Required, trimmed, at most `max` characters, and on one line (nothing can reach an email header). */
export const oneLine = (field: string, max: number) =>
  z
    .string({ error: `${field} is required` })
    .check(
      z.trim(),
      z.minLength(1, `${field} is required`),
      z.maxLength(max, `${field} must be at most ${max} characters`),
      z.refine((v) => !/[\r\n\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udfff]/u.test(v), `${field} must be a single line of text`),
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
