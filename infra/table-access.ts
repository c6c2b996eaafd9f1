/**
 * What each function may do to the table, in one place: constructs/data.ts grants exactly
 * this, test/infra/stack.test.ts pins the synthesised policies to it, and
 * test/integration/table-grants.test.ts holds every call each function makes on the wire,
 * through a whole story, to it. So a grant cannot drift from the code either way unseen.
 *
 * Every function reads (GetItem, BatchGetItem, Query; Query on the indexes too). Writes are
 * PutItem, UpdateItem and ConditionCheckItem (a transaction's items are authorised by the
 * same actions). The two that could wipe data in bulk are narrowed by the items' partition
 * keys (IAM's dynamodb:LeadingKeys):
 *  - DeleteItem only where a function deletes, and only under the prefixes it deletes;
 *  - BatchWriteItem only for mail senders, and only of magic-link tokens (an email's links
 *    are issued in one batch).
 * The magic-link key is read only where tokens are issued (every mail sender: each email
 * carries at least its stop-emails link) or checked (the API).
 */

export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'ConditionCheckItem' | 'DeleteItem' | 'BatchWriteItem';

export const readActions = ['GetItem', 'BatchGetItem', 'Query'] as const satisfies readonly TableAction[];
export const writeActions = ['PutItem', 'UpdateItem', 'ConditionCheckItem'] as const satisfies readonly TableAction[];

export interface TableAccess {
  /** PutItem, UpdateItem, ConditionCheckItem; every function reads. */
  writes: boolean;
  /** DeleteItem, only of items whose partition key starts with one of these. */
  deletesUnder: readonly string[];
  /** BatchWriteItem, only of items whose partition key starts with one of these. */
  batchWritesUnder: readonly string[];
  /** Reads the magic-link key (TOKEN_SECRET_ARN). */
  tokenKey: boolean;
}

/** Issues an email's magic links in one BatchWriteItem (functions/adapters/dynamo/link-tokens.ts). */
const mailSender = { writes: true, batchWritesUnder: ['TOKEN#'], tokenKey: true } as const;

export const tableAccess = {
  /** Head-office sign-out ends its session; a declined, moved or cancelled takeover gives its day back (EVENT#…/TAKEOVER-DATE#…). */
  api: { writes: true, deletesUnder: ['SESSION#', 'EVENT#'], batchWritesUnder: [], tokenKey: true },
  registrationWatcher: { ...mailSender, deletesUnder: [] },
  handoverWatcher: { ...mailSender, deletesUnder: [] },
  freshLinkWatcher: { ...mailSender, deletesUnder: [] },
  takeoverWatcher: { ...mailSender, deletesUnder: [] },
  firstTimerWatcher: { ...mailSender, deletesUnder: [] },
  /** Figures, lists and the audit log: it mails nothing and checks no token. */
  headOfficeWatcher: { writes: true, deletesUnder: [], batchWritesUnder: [], tokenKey: false },
  /** An imported practice's introduction is done (INTRODUCE#…); a digest's entries go once sent (DIGEST#…). */
  quietLinkSweep: { ...mailSender, deletesUnder: ['INTRODUCE#', 'DIGEST#'] },
  takeoverPrompts: { ...mailSender, deletesUnder: [] },
  feedbackAsks: { ...mailSender, deletesUnder: [] },
  /** A held message goes once it is sent (HELD#…). */
  heldMail: { ...mailSender, deletesUnder: ['HELD#'] },
  reminder: { ...mailSender, deletesUnder: [] },
  /** Mails head office and the other side that a contact is lost, so it issues stop-emails links. */
  mailFeedback: { ...mailSender, deletesUnder: [] },
  /**
   * A reply by email (use-cases/email-reply.ts): reads and touches its reply token, records
   * the contact on the link (with its history), counts relays per address (rate limits), sets
   * opt-outs for "stop", and mails the other side as every mail sender does (ledger, held
   * mail, budget slots, the relayed email's own links). Deletes nothing. Only in a stack with
   * a replyDomain (constructs/replies.ts).
   */
  replyReceiver: { ...mailSender, deletesUnder: [] },
  /** Keeps failures (FAILURE items) for `npm run cli -- failures`: it writes, mails nothing and checks no token. */
  failureKeeper: { writes: true, deletesUnder: [], batchWritesUnder: [], tokenKey: false },
} as const satisfies Record<string, TableAccess>;

export type FunctionName = keyof typeof tableAccess;

/** The actions a function's access comes to, for tests and messages. */
export function actionsOf(access: TableAccess): TableAction[] {
  return [
    ...readActions,
    ...(access.writes ? writeActions : []),
    ...(access.deletesUnder.length ? (['DeleteItem'] as const) : []),
    ...(access.batchWritesUnder.length ? (['BatchWriteItem'] as const) : []),
  ];
}
