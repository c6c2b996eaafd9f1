/** Lambda entry: SES's receipt rule stored a reply in S3 and invokes this with the receipt; the reply is relayed, recorded or ignored. */
import { S3MessageStore } from '../adapters/s3-message-store.js';
import { loadReplyReceiverSettings, loadWatcherConfig } from '../config.js';
import { observed } from '../observability.js';
import { mailDeps, storeDepsFromConfig } from '../wiring.js';
import { createReplyReceiver } from './reply-receiver-handler.js';

const config = loadWatcherConfig();
// Before anything is built: without the reply domain, the bucket or the prefix, it fails at start.
const { bucket, objectPrefix, replyDomain } = loadReplyReceiverSettings(process.env, config.mail.replyDomain);
const deps = mailDeps(await storeDepsFromConfig(config), config.mail);

// Head office's address is the reply-to: replies from strangers go to the person who answers for the programme.
export const handler = observed(
  createReplyReceiver({
    ...deps,
    replyDomain,
    headOfficeEmail: config.mail.replyTo,
    messages: new S3MessageStore(bucket),
    objectPrefix,
  }),
);
