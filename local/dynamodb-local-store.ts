/**
 * Where DynamoDB Local keeps its data: a SQLite file on a RAM disk, with indexes it lacks.
 *
 * DynamoDB Local keeps every stream record of every table, dropped tables' too, in one
 * SQLite table (`us`) keyed by sequence number alone. On every write to a table with a
 * stream and every stream call it looks for the stream's first record, and on every
 * GetRecords for the shard's: each walks past every older record of every other stream.
 * So an instance slowed as it aged. Profiled in a test run, those queries were nearly all
 * its SQLite time, and an instance that had served the long browser files burned ten
 * minutes of CPU; the run had to rotate instances. In memory (`-inMemory`) no index can
 * be added; in a file it can. The file is on /dev/shm (memory) where there is one, with
 * write-ahead logging and SQLite's temporary files beside it (dynamodb-local.ts), so a
 * young instance is as quick as in memory and an old one stays so (`npm run bench --
 * dynamodb-local-aging`; docs/benchmarks.md).
 *
 * It is for many tables of modest size one after another: the test run. With these
 * indexes SQLite picks a worse plan for GetRecords' own query, which then grows with the
 * shard: on one table of 40,000 stream records, 200 GetRecords took about 100 s indexed
 * against 0.4 s in memory. So `npm start` and the simulation, one table for hours, keep
 * DynamoDB Local's own memory store.
 *
 * The store's template is made once per DynamoDB Local version: DynamoDB Local makes its
 * own schema in an empty directory, and the indexes are added with sql.js (SQLite compiled to
 * WebAssembly, so nothing to install). It is kept in node_modules/.cache, and each
 * instance starts on a copy of it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import initSqlJs from 'sql.js';

/** DynamoDB Local's file when started with `-sharedDb`. */
export const storeFileName = 'shared-local-instance.db';

/**
 * The indexes DynamoDB Local's stream queries need. Its stream records (`us`) by stream,
 * for a stream's first record (on every write and every stream call), and by shard, for a
 * shard's first record and its records after an iterator (on every GetRecords); its
 * shards (`ss`) by stream. Profiled, those queries were nearly all an aged instance's time.
 */
export const streamIndexes = [
  'CREATE INDEX IF NOT EXISTS nudges_us_by_stream ON us (StreamID, SequenceNumber)',
  'CREATE INDEX IF NOT EXISTS nudges_us_by_shard ON us (ShardID, SequenceNumber)',
  'CREATE INDEX IF NOT EXISTS nudges_ss_by_stream ON ss (StreamID)',
];

export interface LocalStore {
  /** The directory to start DynamoDB Local in (`-sharedDb -dbPath`). */
  dir: string;
  /** Deletes it; safe to call twice, and from an exit handler. */
  remove(): void;
}

const require = createRequire(import.meta.url);
const prefix = 'dynamodb-local-';

/** /dev/shm where there is one (Linux), so the file is in memory; the system's temporary directory elsewhere. */
export const storeRoot = () => (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

/**
 * The cached template's path, named for the DynamoDB Local it was made by (`emulator`: the
 * directory of its jar, in the amplify-dynamodb-simulator package) and the indexes it has.
 */
function templatePath(emulator: string): string {
  const simulator = dirname(emulator);
  const { version } = JSON.parse(readFileSync(join(simulator, 'package.json'), 'utf8')) as { version: string };
  const jarBytes = statSync(join(emulator, 'DynamoDBLocal.jar')).size;
  const indexes = createHash('sha256').update(streamIndexes.join(';')).digest('hex').slice(0, 8);
  return join(dirname(simulator), '.cache', 'dynamodb-local', `store-${version}-${jarBytes}-${indexes}.db`);
}

/** SQLite as sql.js gives it, its WebAssembly found beside its script. */
export const sqlite = () => initSqlJs({ locateFile: (file) => join(dirname(require.resolve('sql.js')), file) });

/** Adds the stream indexes to a store DynamoDB Local has made; its schema must be the one they index. */
export async function addStreamIndexes(store: Uint8Array): Promise<Uint8Array> {
  const db = new (await sqlite()).Database(store);
  try {
    const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values.flat() ?? [];
    if (!tables.includes('us') || !tables.includes('ss')) {
      throw new Error(`DynamoDB Local's store has no stream tables (us, ss) to index; it has ${tables.join(', ') || 'none'}. Its schema has changed: see local/dynamodb-local-store.ts`);
    }
    for (const statement of streamIndexes) db.run(statement);
    const made = db.export();
    // Write-ahead logging, set as SQLite's file format marks it (bytes 18 and 19: 2 is WAL),
    // since sql.js's in-memory database cannot switch to it itself: measured on the browser
    // tour, it cut the instance's CPU by a tenth against the default rollback journal.
    made[18] = 2;
    made[19] = 2;
    return made;
  } finally {
    db.close();
  }
}

let template: Promise<Uint8Array> | undefined;

/**
 * The template: from the cache, or made by starting DynamoDB Local on an empty directory
 * (`startPlain`), which makes its schema, then stopping it and adding the indexes.
 */
function storeTemplate(emulator: string, startPlain: (dir: string) => Promise<{ stop(): Promise<void> }>): Promise<Uint8Array> {
  template ??= (async () => {
    const cached = templatePath(emulator);
    if (existsSync(cached)) return readFileSync(cached);
    const dir = ownDir(storeRoot());
    try {
      await (await startPlain(dir)).stop();
      const made = await addStreamIndexes(readFileSync(join(dir, storeFileName)));
      // Written whole, then renamed: two processes making it at once each leave a whole file.
      mkdirSync(dirname(cached), { recursive: true });
      const partial = `${cached}.${process.pid}`;
      writeFileSync(partial, made);
      renameSync(partial, cached);
      return made;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  // A failed attempt is not kept: the next start tries again.
  template.catch(() => (template = undefined));
  return template;
}

/** A new directory for a store, marked with this process as its owner. */
function ownDir(root: string): string {
  const dir = mkdtempSync(join(root, prefix));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  return dir;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, and another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes stores left by processes that died without removing theirs (killed runs): each is a whole instance's data, in memory. */
function removeOrphans(root: string) {
  for (const name of readdirSync(root)) {
    if (!name.startsWith(prefix)) continue;
    const marker = join(root, name, 'owner.pid');
    // No marker yet: a directory another process has only just made.
    const owner = existsSync(marker) ? Number(readFileSync(marker, 'utf8')) : NaN;
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) rmSync(join(root, name), { recursive: true, force: true });
  }
}

/** A fresh directory holding a copy of the indexed template, for one instance of the DynamoDB Local in `emulator`. */
export async function prepareIndexedStore(emulator: string, startPlain: (dir: string) => Promise<{ stop(): Promise<void> }>): Promise<LocalStore> {
  const made = await storeTemplate(emulator, startPlain);
  const root = storeRoot();
  removeOrphans(root);
  const dir = ownDir(root);
  writeFileSync(join(dir, storeFileName), made);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
