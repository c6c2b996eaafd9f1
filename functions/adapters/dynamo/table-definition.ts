/**
 * The one table's keys and indexes, declared once. The CDK stack (infra/) and the
 * local runtime and tests (createTableInput) both build the table from this, so the
 * table you test against is the table you deploy.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Overloaded secondary index; each entity's use of it is listed in docs/data-model.md. */
  gsi1: { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /**
   * Sparse index of work that falls due (quiet-link ladder steps, event-director digests).
   * Only items with a `dueAt` are in it, so a sweep reads what is due, not everything; the
   * partition is one of `dueShards` so no single partition takes every write.
   */
  due: { indexName: 'due', partitionKey: 'dueShard', sortKey: 'dueAt', shards: 4 },
  /**
   * Sparse index of links by status and place, for head office's lists ("the links at
   * risk in London"): `statusKey` = `STATUS#<status>`, `placeKey` =
   * `<country>#<region>#<event>#<practice>`, set by the head-office watcher as links change.
   */
  byStatus: { indexName: 'byStatus', partitionKey: 'statusKey', sortKey: 'placeKey' },
  /** Epoch seconds; DynamoDB TTL deletes items (such as spent tokens) some time after. */
  timeToLiveAttribute: 'expiresAt',
  streamViewType: 'NEW_AND_OLD_IMAGES',
} as const;

export function createTableInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey, gsi1, due, byStatus } = tableDefinition;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [partitionKey, sortKey, gsi1.partitionKey, gsi1.sortKey, due.partitionKey, due.sortKey, byStatus.partitionKey, byStatus.sortKey].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: gsi1.indexName,
        KeySchema: [
          { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
          { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: due.indexName,
        KeySchema: [
          { AttributeName: due.partitionKey, KeyType: 'HASH' },
          { AttributeName: due.sortKey, KeyType: 'RANGE' },
        ],
        // ALL: the sweep decides from the item itself, one read per due item.
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: byStatus.indexName,
        KeySchema: [
          { AttributeName: byStatus.partitionKey, KeyType: 'HASH' },
          { AttributeName: byStatus.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamViewType },
  };
}
