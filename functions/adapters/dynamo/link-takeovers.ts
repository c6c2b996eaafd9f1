/**
 * A link's takeovers, read only, for the page both sides share. Each takeover is in gsi1
 * under its practice (`PRACTICE#<code>`), sorted `TAKEOVER#<event>#<createdAt>`
 * (takeover-items.ts writes it so), so one Query on that prefix reads exactly the link's
 * takeovers, oldest first: no Scan, and nothing of the practice's other events.
 */
import type { DocumentClient } from './document-client.js';
import type { Takeover } from '../../core/model.js';
import type { LinkRef, LinkTakeovers } from '../../core/ports.js';
import { gsi1 } from './items.js';
import { queryAll } from './query-all.js';
import { tableDefinition } from './table-definition.js';

export class DynamoLinkTakeovers implements LinkTakeovers {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async ofLink(link: LinkRef): Promise<Takeover[]> {
    const items = await queryAll<Takeover & { entityType?: string }>(this.doc, {
      TableName: this.tableName,
      IndexName: tableDefinition.gsi1.indexName,
      KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :t)',
      ExpressionAttributeValues: { ':p': gsi1.practiceHistory(link.practiceCode), ':t': `TAKEOVER#${link.eventShortName}#` },
    });
    return items.map(({ entityType: _type, ...takeover }) => takeover as Takeover);
  }
}
