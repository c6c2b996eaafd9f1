import { TransactWriteCommand, type DocumentClient, type TransactWriteCommandInput } from './document-client.js';
import { InvalidTokenError } from '../../core/errors.js';
import type { TokenSpend } from '../../core/ports.js';
import { tokenSpendItem } from './link-tokens.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Reasons DynamoDB gives for each item of a cancelled transaction, in order. */
export function cancellationCodes(error: unknown): Array<string | undefined> | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  return reasons?.map((r) => (r.Code === 'None' ? undefined : r.Code));
}

/**
 * Applies an action's writes together with spending its token. A token whose condition
 * fails (spent by a racing request, or expired meanwhile) becomes InvalidTokenError('used')
 * and nothing is written; any other cancellation is rethrown as it is.
 */
export async function writeWithToken(doc: DocumentClient, tableName: string, items: TransactItem[], spend: TokenSpend): Promise<void> {
  try {
    await doc.send(new TransactWriteCommand({ TransactItems: [tokenSpendItem(tableName, spend), ...items] }));
  } catch (error) {
    // Refused on the token itself, or racing another transaction on it (a double click): used.
    const onToken = cancellationCodes(error)?.[0];
    if (onToken === 'ConditionalCheckFailed' || onToken === 'TransactionConflict') throw new InvalidTokenError('used');
    throw error;
  }
}
