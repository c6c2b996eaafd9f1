/**
 * Which function makes each call to the table, and what IAM must allow for it: so a test
 * can hold every call a function really makes, on the wire, to what infra/table-access.ts
 * grants it. A story runs each handler inside `asFunction(name, …)`; a document client's
 * hook then records the calls made under that name.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoCallHook } from '../../functions/adapters/dynamo/document-client.js';
import type { FunctionName, TableAction } from '../../infra/table-access.js';

const running = new AsyncLocalStorage<FunctionName>();

/** Runs `work` as the Lambda function `name` would. */
export const asFunction = <T>(name: FunctionName, work: () => Promise<T>): Promise<T> => running.run(name, work);

/** One thing IAM authorises: an action, and the partition key of the item it touches (for the ones narrowed by key). */
export interface AuthorisedAction {
  fn: FunctionName;
  action: TableAction;
  pk?: string;
  index?: string;
}

type Wire = Record<string, unknown>;
const pkOf = (item: unknown) => ((item as { pk?: { S?: string } } | undefined)?.pk?.S ?? undefined);

/** What IAM checks for one call: a transaction's items each by their own action, a batch write's items each by their key. */
export function authorisedActions(fn: FunctionName, operation: string, input: Wire): AuthorisedAction[] {
  switch (operation) {
    case 'TransactWriteItems':
      return (input.TransactItems as Wire[]).map((item) => {
        const [kind, body] = Object.entries(item)[0] as [string, Wire];
        const action = ({ Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' } as const)[kind as 'Put'];
        return { fn, action, pk: pkOf(body.Key ?? body.Item) } as AuthorisedAction;
      });
    case 'BatchWriteItem':
      return Object.values(input.RequestItems as Record<string, Wire[]>)
        .flat()
        .map((request) => ({ fn, action: 'BatchWriteItem', pk: pkOf((request.PutRequest as Wire | undefined)?.Item ?? (request.DeleteRequest as Wire | undefined)?.Key) }) as AuthorisedAction);
    case 'Query':
      return [{ fn, action: 'Query', ...(input.IndexName ? { index: String(input.IndexName) } : {}) }];
    default:
      return [{ fn, action: operation as TableAction, ...(pkOf(input.Key ?? input.Item) ? { pk: pkOf(input.Key ?? input.Item)! } : {}) }];
  }
}

/** Told of each call before it goes on the wire. */
export type CallObserver = (operation: string, input: Wire) => void;

/** Records, into `log`, what IAM would check for each call made inside `asFunction`; calls outside it (a test's own setting up) are not recorded. */
export function recordInto(log: AuthorisedAction[]): CallObserver {
  return (operation, input) => {
    const fn = running.getStore();
    if (fn) log.push(...authorisedActions(fn, operation, input));
  };
}

/** The same, as a document client's hook. */
export const observingHook =
  (observe: CallObserver): DynamoCallHook =>
  (call, next) => {
    observe(call.operation, call.input);
    return next();
  };
