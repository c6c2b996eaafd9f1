/**
 * The run's DynamoDB Local instances, lent to test files. DynamoDB Local slows as tables
 * with streams fill up over its life: measured here, the same small workload took 3 to 4
 * times as long after 25 tables of 400 items each, whether those tables were dropped or
 * kept, and dropping their streams first did not help (one table of 10,000 items, or 25
 * empty tables, did not slow it). Late files of a long run were five times slower than
 * alone. So an instance takes new files only until `tablesPerInstance` tables have been
 * made on it; the next tables go to a fresh one (started ahead, so none waits for a JVM),
 * and the old one is stopped once every table on it has been dropped.
 *
 * Test files reach the pool over HTTP on localhost (the only way from vitest's workers to
 * its global setup): POST /table for an instance to make a table on, POST /release?id=
 * when it is dropped (test/support/dynamo.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from '../../local/dynamodb-local.js';

interface Instance {
  id: number;
  running: Promise<RunningDynamoDbLocal>;
  tables: number;
  leases: number;
  retired: boolean;
}

export interface DynamoPool {
  url: string;
  /** How many instances were started. */
  started(): number;
  stop(): Promise<void>;
}

export async function startDynamoPool(tablesPerInstance = 30): Promise<DynamoPool> {
  const instances = new Map<number, Instance>();
  let started = 0;
  const start = (): Instance => {
    const instance: Instance = { id: started++, running: startDynamoDbLocal(), tables: 0, leases: 0, retired: false };
    // A failed start is reported to the file that leases it, not as an unhandled rejection here.
    instance.running.catch(() => undefined);
    instances.set(instance.id, instance);
    return instance;
  };
  let current = start();
  let spare: Instance | undefined;
  await current.running;

  const stopIfDone = async (instance: Instance) => {
    if (!instance.retired || instance.leases > 0 || !instances.has(instance.id)) return;
    instances.delete(instance.id);
    await (await instance.running).stop();
  };
  const counted = (instance: Instance) => {
    instance.tables++;
    if (instance !== current) return;
    if (!spare && instance.tables >= tablesPerInstance - 5) spare = start();
    if (instance.tables >= tablesPerInstance) {
      instance.retired = true;
      current = spare ?? start();
      spare = undefined;
    }
  };
  const find = (url: URL) => {
    const instance = instances.get(Number(url.searchParams.get('id')));
    if (!instance) throw new Error(`No DynamoDB Local instance ${url.searchParams.get('id')} in the pool`);
    return instance;
  };

  const server: Server = createServer((request, response) => {
    const answer = async () => {
      const url = new URL(request.url ?? '/', 'http://pool');
      if (request.method !== 'POST') throw new Error('The pool answers POST only');
      if (url.pathname === '/table') {
        const instance = current;
        instance.leases++;
        counted(instance);
        return { id: instance.id, endpoint: (await instance.running).endpoint };
      }
      if (url.pathname === '/release') {
        const instance = find(url);
        instance.leases--;
        await stopIfDone(instance);
        return {};
      }
      throw new Error(`Unknown pool request ${url.pathname}`);
    };
    answer().then(
      (body) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      (error: unknown) => response.writeHead(500).end(error instanceof Error ? error.message : String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    started: () => started,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const left = [...instances.values()];
      instances.clear();
      await Promise.all(left.map(async (i) => (await i.running.catch(() => undefined))?.stop()));
    },
  };
}
