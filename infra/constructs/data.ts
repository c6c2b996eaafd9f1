import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { readActions, writeActions, type TableAccess } from '../table-access.js';
import { Construct } from 'constructs';
import { tableDefinition } from '../../functions/adapters/dynamo/table-definition.js';

/**
 * The secondary indexes, as declared in tableDefinition: each is built and granted from here.
 * A deployed table gains at most one new GSI per CloudFormation update, so add them one deployment at a time.
 */
const indexes = [tableDefinition.gsi1, tableDefinition.due, tableDefinition.byStatus] as const;

/**
 * The one table, built from the same definition the local runtime and the integration
 * tests create their tables from, so the keys and indexes tested are the ones deployed.
 */
export class Data extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { partitionKey, sortKey, timeToLiveAttribute, streamViewType } = tableDefinition;

    this.table = new Table(this, 'Table', {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      stream: StreamViewType[streamViewType],
      timeToLiveAttribute,
      // AWS-managed KMS key: encrypted at rest with key use visible in CloudTrail, and no
      // key policy to maintain; the data is counts and contact details, never patients.
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /**
   * A function's item access, as infra/table-access.ts declares it: reads and writes on the
   * table, Query on its declared indexes by name (not `index/*`), and DeleteItem and
   * BatchWriteItem only on items under the partition-key prefixes named. Item actions only:
   * no Scan (due work is found through the sparse index: docs/data-model.md), no stream or
   * table-management actions. Transactions are authorised per item by these same actions.
   */
  grantItems(grantee: IGrantable, access: TableAccess): void {
    const table = [this.table.tableArn];
    const dynamodb = (actions: readonly string[]) => actions.map((a) => `dynamodb:${a}`);
    Grant.addToPrincipal({ grantee, actions: dynamodb([...readActions, ...(access.writes ? writeActions : [])]), resourceArns: table });
    Grant.addToPrincipal({ grantee, actions: dynamodb(['Query']), resourceArns: indexes.map((index) => `${this.table.tableArn}/index/${index.indexName}`) });
    const underPrefixes = (action: string, prefixes: readonly string[]) => {
      if (prefixes.length === 0) return;
      Grant.addToPrincipal({
        grantee,
        actions: dynamodb([action]),
        resourceArns: table,
        // Every item the request touches must have a partition key under one of the prefixes.
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((p) => `${p}*`) } },
      });
    };
    underPrefixes('DeleteItem', access.deletesUnder);
    underPrefixes('BatchWriteItem', access.batchWritesUnder);
  }
}
