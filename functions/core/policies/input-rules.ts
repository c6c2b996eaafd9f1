/** Rules shared by every form and JSON body the product accepts. */
import { z } from 'zod';
import { ValidationError } from '../errors.js';

/** Required, trimmed, at most `max` characters, and on one line (nothing can reach an email header). */
export const oneLine = (field: string, max: number) =>
  z
    .string({ error: `${field} is required` })
    .trim()
    .min(1, `${field} is required`)
    .max(max, `${field} must be at most ${max} characters`)
    .refine((v) => !/[\r\n\u0000-\u001f]/.test(v), `${field} must be a single line of text`);

/** A zod failure as ValidationError: the first message for each field, by its path. */
export function toValidationError(error: z.ZodError): ValidationError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.length > 0 ? issue.path.join('.') : 'body'] ??= issue.message;
  return new ValidationError(fields);
}
