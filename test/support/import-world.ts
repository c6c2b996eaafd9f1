/**
 * The go-live imports on DynamoDB Local: a fresh table, files written to a temporary
 * folder as a spreadsheet or parkrun would write them, the CLI run in-process against the
 * table (as an operator runs it against AWS), and the real adapters, sweep and mail
 * transport for following what the imports set going.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MovableClock } from '../../functions/adapters/clock.js';
import { DynamoPracticeImports } from '../../functions/adapters/dynamo/practice-imports.js';
import { csvRows } from '../../functions/adapters/files/csv-rows.js';
import { checkEventFeed, eventFeedFeatures } from '../../functions/adapters/files/event-feed-file.js';
import { feedSelection, type FeedSelectionOptions } from '../../functions/core/policies/event-feed.js';
import { defaultNudgePolicy } from '../../functions/core/policies/quiet-link-ladder.js';
import { importEvents, regionColumns } from '../../functions/core/use-cases/import-events.js';
import { importPractices, practiceColumns } from '../../functions/core/use-cases/import-practices.js';
import type { ImportRefusal } from '../../functions/core/use-cases/import-report.js';
import { importTeams, teamColumns } from '../../functions/core/use-cases/import-teams.js';
import { runQuietLinkSweep } from '../../functions/core/use-cases/quiet-link-sweep.js';
import { apiDeps, mailDeps, storeDeps } from '../../functions/wiring.js';
import { createApp } from '../../functions/api/app.js';
import { localAwsEnv } from '../../local/dynamodb-local.js';
import { runCli } from '../../local/cli.js';
import { createTestTable } from './dynamo.js';
import type { DynamoDBRecord } from 'aws-lambda';
import { expect } from 'vitest';
import { newRegistrationFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { createRegistrationWatcher } from '../../functions/watchers/registration-watcher-handler.js';
import { readStream } from './stream.js';
import { FixedClock, mailSettings, RecordingTransport } from './memory-ports.js';

/** A feature of parkrun's feed, as published. */
export function feature(eventname: string, overrides: { name?: string; countrycode?: number; seriesid?: number; location?: string | null; coordinates?: unknown; id?: number } = {}) {
  return {
    id: overrides.id ?? 1,
    type: 'Feature',
    geometry: { type: 'Point', coordinates: overrides.coordinates ?? [-0.335791, 51.410992] },
    properties: {
      eventname,
      EventLongName: overrides.name ?? `${eventname[0]!.toUpperCase()}${eventname.slice(1)} parkrun`,
      EventShortName: eventname,
      LocalisedEventLongName: null,
      countrycode: overrides.countrycode ?? 97,
      seriesid: overrides.seriesid ?? 1,
      EventLocation: overrides.location === undefined ? `${eventname} park` : overrides.location,
    },
  };
}

export const feed = (features: unknown[]) => ({ countries: { '97': { url: 'www.parkrun.org.uk' }, '42': { url: 'www.parkrun.ie' } }, events: { type: 'FeatureCollection', features } });

/** CSV as a spreadsheet saves it: a byte-order mark and CRLF line ends. */
export const spreadsheet = (lines: string[]) => `\ufeff${lines.join('\r\n')}\r\n`;

export const practiceHeader = 'practiceCode,practiceName,postcode,championName,championRole,championEmail,championPhone,events,registeredOn,lastContactOn';

export const analyst = 'analyst@parkrun.example';

/** Monday 10:00 in London: inside every reader's window. */
export const importDay = new Date('2026-11-23T10:00:00Z');

export async function importWorld(start = importDay) {
  const t = await createTestTable();
  const dir = await mkdtemp(join(tmpdir(), 'imports-'));
  let files = 0;
  const clock = new MovableClock(new FixedClock(start));
  const store = storeDeps(t.doc, t.tableName, 'k'.repeat(48), clock);
  const transport = new RecordingTransport();
  const deps = mailDeps(store, { ...mailSettings }, transport);
  const imports = new DynamoPracticeImports(t.doc, t.tableName);

  const file = async (content: string | Buffer, name = `file-${++files}`) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };
  /** The CLI as an operator runs it against a table in AWS: TABLE_NAME, keys and, here, DynamoDB Local's endpoint. */
  const cli = async (args: string[]) => {
    const lines: string[] = [];
    const env = { ...localAwsEnv, TABLE_NAME: t.tableName, AWS_ENDPOINT_URL_DYNAMODB: t.endpoint };
    const code = await runCli(args, { out: (l) => lines.push(...l.split('\n')), env, runtimeFile: '/nonexistent/runtime.json' });
    const last = lines.at(-1) ?? '';
    const summary = last.startsWith('{') ? (JSON.parse(last) as Record<string, number>) : undefined;
    return { code, lines, summary, refusals: summary ? lines.slice(0, -1) : lines };
  };
  const collect = () => {
    const refusals: ImportRefusal[] = [];
    return { refusals, observer: { refused: (r: ImportRefusal) => refusals.push(r) } };
  };
  const events = async (path: string, options: FeedSelectionOptions & { regions?: string; dryRun?: boolean } = {}) => {
    const { refusals, observer } = collect();
    await checkEventFeed(path);
    const summary = await importEvents(
      { events: store.events, registry: store.registry, clock },
      { features: eventFeedFeatures(path), ...(options.regions ? { regions: csvRows(options.regions, regionColumns) } : {}), selection: feedSelection(options), dryRun: options.dryRun ?? false },
      observer,
    );
    return { summary, refusals };
  };
  const teams = async (path: string, options: { dryRun?: boolean } = {}) => {
    const { refusals, observer } = collect();
    const summary = await importTeams({ events: store.events, registry: store.registry, clock }, { rows: csvRows(path, teamColumns), dryRun: options.dryRun ?? false, actor: 'tester' }, observer);
    return { summary, refusals };
  };
  const practices = async (path: string, options: { dryRun?: boolean; introduce?: boolean; spreadDays?: number } = {}) => {
    const { refusals, observer } = collect();
    const summary = await importPractices(
      { events: store.events, imports, clock, nudgePolicy: defaultNudgePolicy },
      { rows: csvRows(path, practiceColumns), dryRun: options.dryRun ?? false, introduce: options.introduce ?? false, spreadDays: options.spreadDays ?? 28, actor: 'tester' },
      observer,
    );
    return { summary, refusals };
  };
  const sweep = () => runQuietLinkSweep(deps);

  const app = createApp(apiDeps(store, { addresses: [analyst] }));
  const request = (path: string, init: { method?: string; form?: Record<string, string>; json?: unknown; cookie?: string } = {}) =>
    app.request(`http://localhost${path}`, {
      method: init.method ?? (init.form || init.json ? 'POST' : 'GET'),
      headers: {
        'sec-fetch-site': 'same-origin',
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(init.json ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : init.json ? { body: JSON.stringify(init.json) } : {}),
    });
  /** A head-office session, as the sign-in link in the email would start it. */
  const signIn = async () => {
    const token = await store.tokens.issue({ purpose: 'head-office-sign-in', subject: analyst, recipient: analyst, role: 'head-office', expiresAt: new Date(clock.now().getTime() + 900_000) }, clock.now());
    const response = await request(`/head-office/sign-in/${token}`, { method: 'POST', form: {} });
    return /ho_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
  };
  return { t, dir, clock, store, deps, transport, file, cli, events, teams, practices, sweep, app, request, signIn };
}

/**
 * What the registration watcher would do with what is new on the stream since the last
 * call, as in AWS: each call hands it only the records it has not yet seen, and expects
 * every one to be handled.
 */
export function registrationWatching(w: Awaited<ReturnType<typeof importWorld>>) {
  const seen = new Set<string>();
  return async () => {
    const records = (await readStream(w.t.streams, w.t.streamArn, newRegistrationFilter)).filter((r) => !seen.has(r.eventID!));
    records.forEach((r) => seen.add(r.eventID!));
    expect(await createRegistrationWatcher(w.deps)({ Records: records as DynamoDBRecord[] }, {} as never)).toEqual({ batchItemFailures: [] });
  };
}
