/** Lambda entry: SES bounce and complaint events (via EventBridge) suppress addresses and flag lost contacts. */
import { loadWatcherConfig } from '../config.js';
import { observed } from '../observability.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';
import { createMailFeedbackHandler } from './mail-feedback-handler.js';

const config = loadWatcherConfig();
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

// Head office's address is the reply-to: the person who answers for the programme.
export const handler = observed(
  createMailFeedbackHandler({
    ...deps,
    headOfficeEmail: config.mail.replyTo,
    ...(config.mail.configurationSet ? { configurationSet: config.mail.configurationSet } : {}),
  }),
);
