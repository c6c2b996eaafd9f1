/**
 * Starts AWS's own DynamoDB emulator (DynamoDB Local, shipped in the npm package
 * amplify-dynamodb-simulator) on a free port: in memory, or (the test run) in a SQLite
 * file on a RAM disk with indexes added (dynamodb-local-store.ts). Used by `npm start`,
 * the simulation, the bench and the test run's global setup.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { prepareIndexedStore, type LocalStore } from './dynamodb-local-store.js';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { awsClientConfig, type AwsClientOptions } from '../functions/adapters/aws-clients.js';
import { createDocumentClient, type DocumentClient, type DynamoCallHook } from '../functions/adapters/dynamo/document-client.js';

export interface RunningDynamoDbLocal {
  endpoint: string;
  port: number;
  /** The JVM's process id (the bench reads its CPU time). */
  pid?: number;
  /** Where it keeps its data (the indexed store's directory), if in a file. */
  storeDir?: string;
  stop(): Promise<void>;
  /** Synchronous last resort for process exit handlers. */
  kill(): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  if (!existsSync(join(dir, 'DynamoDBLocal.jar'))) {
    throw new Error(`DynamoDB Local not found at ${dir}; run npm install`);
  }
  return dir;
}

/** Credentials and region DynamoDB Local accepts; it checks only that they are present. */
export const localAwsEnv = { AWS_REGION: 'eu-west-2', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };

/**
 * How every local client talks to DynamoDB Local. On a busy two-core machine (the test run,
 * the simulation) it can take seconds to answer, now and then many: a slow answer is waited
 * for, 30 s an attempt (three times what Lambda allows), and one that never comes is retried
 * by the SDK, five attempts in all, so a stalled request costs half a minute rather than the
 * run. Throttling and 5xx, which DynamoDB Local does not answer with, would be retried as in
 * AWS. A call that may rightly take longer (a whole table's scan) is given its own timeout.
 */
export const localClientOptions = {
  region: localAwsEnv.AWS_REGION,
  credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY },
  maxAttempts: 5,
  timeoutMs: 30_000,
} satisfies AwsClientOptions;

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient(awsClientConfig({ ...localClientOptions, endpoint }));
}

/**
 * The product's own document client, pointed at DynamoDB Local; `hook` sees every call.
 * `timeoutMs`, for a call that may rightly take longer than the local default (a whole
 * table's scan on a busy machine), replaces it.
 */
export function localDocumentClient(endpoint: string, hook?: DynamoCallHook, timeoutMs?: number): DocumentClient {
  return createDocumentClient({ ...localClientOptions, endpoint, ...(timeoutMs ? { timeoutMs } : {}), ...(hook ? { hook } : {}) });
}

/**
 * Where an instance keeps its data: `memory` (the default), DynamoDB Local's own
 * `-inMemory`; `indexed`, in a file with the indexes DynamoDB Local lacks, so that many
 * tables one after another do not slow it (the test run: dynamodb-local-store.ts says
 * when it is slower); `file` for a directory of the caller's, as DynamoDB Local makes it
 * (the indexed store's template is made that way).
 */
export type LocalStorage = { kind: 'indexed' } | { kind: 'memory' } | { kind: 'file'; dir: string };

export interface DynamoDbLocalOptions {
  port?: number;
  timeoutMs?: number;
  storage?: LocalStorage;
  /** Options for its JVM, before `-jar` (the test run's: test/setup/dynamodb-local.ts). */
  jvmOptions?: string[];
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningDynamoDbLocal> {
  const storage = options.storage ?? { kind: 'memory' };
  const dir = emulatorDir();
  const store: LocalStore | undefined = storage.kind === 'indexed' ? await prepareIndexedStore(dir, (empty) => startDynamoDbLocal({ storage: { kind: 'file', dir: empty } })) : undefined;
  const dbDir = storage.kind === 'file' ? storage.dir : store?.dir;
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'java',
    [...(options.jvmOptions ?? []), '-Djava.library.path=./DynamoDBLocal_lib', '-jar', 'DynamoDBLocal.jar', ...(dbDir ? ['-sharedDb', '-dbPath', dbDir] : ['-inMemory']), '-disableTelemetry', '-port', String(port)],
    // SQLite's temporary files (one a statement, in a file store) beside the store, in memory, not in /var/tmp on disk.
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], ...(dbDir ? { env: { ...process.env, SQLITE_TMPDIR: dbDir } } : {}) },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error('Java was not found. DynamoDB Local needs Java 17 or newer (Debian: apt-get install -y openjdk-17-jre-headless).')
          : error,
      ),
    );
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited (code ${code}) before it was ready: ${stderr}`)));
  });
  exited.catch(() => undefined);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    }
    store?.remove();
  };

  // This loop is the probe's one owner of retries: one attempt each, waited for up to the whole deadline.
  // A limit for a JVM that will not start, not for a slow one: on a 2-core machine several times as busy, a start took over 30 s.
  const waitMs = options.timeoutMs ?? 120_000;
  const client = new DynamoDBClient(awsClientConfig({ ...localClientOptions, endpoint, maxAttempts: 1, timeoutMs: waitMs }));
  const deadline = Date.now() + waitMs;
  try {
    for (;;) {
      try {
        await Promise.race([client.send(new ListTablesCommand({})), exited]);
        break;
      } catch (error) {
        if (child.exitCode !== null || (error instanceof Error && error.message.startsWith('Java was not found'))) throw error;
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} in time: ${stderr}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    port,
    pid: child.pid,
    storeDir: dbDir,
    stop,
    kill: () => {
      child.kill('SIGKILL');
      store?.remove();
    },
  };
}
