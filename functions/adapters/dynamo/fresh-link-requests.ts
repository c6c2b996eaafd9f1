import { PutCommand, type DocumentClient } from './document-client.js';
import type { FreshLinkRequests } from '../../core/ports.js';
import type { FreshLinkRequest } from '../../core/model.js';
import { keys } from './items.js';

/** Requests live a week (TTL): long enough for the watcher and its retries, then they go. */
const keepSeconds = 7 * 86_400;

export class DynamoFreshLinkRequests implements FreshLinkRequests {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async record(request: FreshLinkRequest): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.freshLinkRequest(request.id),
          entityType: 'FreshLinkRequest',
          ...request,
          expiresAt: Math.floor(Date.parse(request.requestedAt) / 1000) + keepSeconds,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }
}
