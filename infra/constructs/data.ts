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
import { Construct } from 'constructs';
import { tableDefinition } from '../../functions/adapters/dynamo/table-definition.js';

export type DataAccess = 'read' | 'readWrite';

/**
 * Item actions only. No Scan (DESIGN.md: no Scan on any request path or job; due work is
 * found through the sparse index), no stream or table-management actions. Transactions
 * are authorised per item through these same actions.
 */
const readActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const writeActions = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];
const itemActions: Record<DataAccess, string[]> = {
  read: readActions,
  readWrite: [...readActions, ...writeActions],
};

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

  /** Item access on the table and on its declared indexes by name (not `index/*`). */
  grantItems(grantee: IGrantable, access: DataAccess): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: itemActions[access],
      resourceArns: [this.table.tableArn, ...indexes.map((index) => `${this.table.tableArn}/index/${index.indexName}`)],
    });
  }
}
