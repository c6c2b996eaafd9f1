/**
 * Ports: what the use cases need from the outside world, one file per feature under
 * ports/. Adapters in functions/adapters implement them; tests use the in-memory versions
 * in test/support, held to the same contracts (test/contract).
 */
export * from './ports/clock.js';
export * from './ports/partnerships.js';
export * from './ports/mail.js';
export * from './ports/magic-links.js';
export * from './ports/ladder.js';
export * from './ports/takeovers.js';
export * from './ports/feedback.js';
export * from './ports/head-office.js';
