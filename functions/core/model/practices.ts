/** Practices: a GP practice and its champion. */
import * as z from '../zod.js';

export const championSchema = z.object({
  name: z.string(),
  role: z.string(),
  email: z.string(),
  phone: z.optional(z.string()),
});
export type Champion = z.infer<typeof championSchema>;

/** Also what the registration watcher checks a registration's practice against. */
export const practiceSchema = z.object({
  /** ODS code in England and Wales (A81001), a five-digit practice code in Scotland. */
  code: z.string(),
  name: z.string(),
  postcode: z.string(),
  champion: championSchema,
});
export type Practice = z.infer<typeof practiceSchema>;
