/** The run's pool of DynamoDB Local instances (test/setup/dynamodb-pool.ts): new tables move to a fresh instance, and an old one stops once its tables are dropped. */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { localDynamoClient } from '../../local/dynamodb-local.js';
import { startDynamoPool, type DynamoPool } from '../setup/dynamodb-pool.js';

let pool: DynamoPool | undefined;
afterAll(() => pool?.stop());

const call = async <T>(path: string): Promise<T> => {
  const response = await fetch(`${pool!.url}${path}`, { method: 'POST' });
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};
const answers = async (endpoint: string) => {
  try {
    await localDynamoClient(endpoint).send(new ListTablesCommand({}));
    return true;
  } catch {
    return false;
  }
};

describe('the DynamoDB Local pool', () => {
  it('lends one instance until it has had its tables, then a fresh one, and stops the old one when its last table is dropped', async () => {
    pool = await startDynamoPool(2);
    const first = await call<{ id: number; endpoint: string }>('/table');
    const second = await call<{ id: number; endpoint: string }>('/table');
    expect(second).toEqual(first);
    // Two tables made: the next gets another instance, already started as the spare.
    const third = await call<{ id: number; endpoint: string }>('/table');
    expect(third.endpoint).not.toBe(first.endpoint);
    // The first, the spare it handed on to, and the next spare, started ahead again.
    expect(pool.started()).toBe(3);
    expect(await answers(third.endpoint)).toBe(true);
    // The old instance serves its tables until the last one is dropped.
    await call(`/release?id=${first.id}`);
    expect(await answers(first.endpoint)).toBe(true);
    await call(`/release?id=${second.id}`);
    expect(await answers(first.endpoint)).toBe(false);
    expect(await answers(third.endpoint)).toBe(true);
  });

  it('answers an unknown instance or request with an error naming it', async () => {
    pool ??= await startDynamoPool(2);
    await expect(call('/release?id=99')).rejects.toThrow('No DynamoDB Local instance 99');
    await expect(call('/nothing')).rejects.toThrow('Unknown pool request /nothing');
  });
});
