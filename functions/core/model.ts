/**
 * The partnership's vocabulary, one file per feature under model/. Only staff and
 * volunteers acting in a role appear here; patients never do (no patient is ever stored
 * or identified: counts only). A shape the watchers also check at run time is a zod
 * schema here, its type inferred from it, so the check and the type cannot drift apart.
 */
export * from './model/events.js';
export * from './model/practices.js';
export * from './model/links.js';
export * from './model/registrations.js';
export * from './model/mail.js';
export * from './model/magic-links.js';
export * from './model/takeovers.js';
export * from './model/feedback.js';
