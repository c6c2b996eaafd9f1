/**
 * zod as the product uses it: `zod/mini`, whose functions a bundler can drop when unused
 * (classic `zod`'s chained methods cannot be, which put about 440 kB of it into every
 * Lambda bundle), with the English messages classic `zod` loads by itself. Mini alone
 * would answer every problem without a message of our own with a bare "Invalid input";
 * configuration errors and the default messages the forms show rely on these.
 *
 * Import it as `import * as z from '.../core/zod.js'`, never from `zod` or `zod/mini`
 * directly, so the locale is set before any schema parses. Classic's chains become
 * functions and checks: `z.string().trim().min(1, m)` is `z.string().check(z.trim(),
 * z.minLength(1, m))`, `.transform(f)` is `z.pipe(s, z.transform(f))`, `.optional()` is
 * `z.optional(s)`, `.refine(f, m)` is `.check(z.refine(f, m))`.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

// Re-exported name by name (not as one namespace object, which would keep all of zod) for `import * as z`.
export * from 'zod/mini';
