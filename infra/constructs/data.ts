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
 * The one table, built from the same definition the local runtime and the integration
 * tests create their tables from, so the keys and indexes tested are the ones deployed.
 */
export class Data extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { partitionKey, sortKey, gsi1, timeToLiveAttribute, streamViewType } = tableDefinition;

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
    this.table.addGlobalSecondaryIndex({
      indexName: gsi1.indexName,
      partitionKey: { name: gsi1.partitionKey, type: AttributeType.STRING },
      sortKey: { name: gsi1.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }

  /** Item access on the table and on its declared indexes by name (not `index/*`). */
  grantItems(grantee: IGrantable, access: DataAccess): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: itemActions[access],
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/${tableDefinition.gsi1.indexName}`],
    });
  }
}
