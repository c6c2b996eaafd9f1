/**
 * `npm run cli -- events|teams|practices import <file>`: the go-live imports, against the
 * table in AWS or the one `npm start` runs (local/cli-target.ts). Each prints a line per
 * refused row (where, field, reason), a progress bar on a terminal, and as its last line
 * the JSON summary. Exit code 0: nothing refused; 1: some rows refused (the good ones are
 * stored); 2: the file as a whole is unusable, or the command was called wrongly (nothing
 * stored).
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { FixedClock, systemClock } from '../functions/adapters/clock.js';
import { DynamoEventDirectory } from '../functions/adapters/dynamo/event-directory.js';
import { DynamoEventRegistry } from '../functions/adapters/dynamo/event-registry.js';
import { DynamoPracticeImports } from '../functions/adapters/dynamo/practice-imports.js';
import { countCsvRows, csvRows } from '../functions/adapters/files/csv-rows.js';
import { checkEventFeed, eventFeedFeatures } from '../functions/adapters/files/event-feed-file.js';
import { loadTableConfig } from '../functions/config.js';
import { UnusableFileError } from '../functions/core/errors.js';
import { feedSelection, type FeedSelection } from '../functions/core/policies/event-feed.js';
import { defaultSpreadDays } from '../functions/core/policies/imported-links.js';
import { importEvents, regionColumns } from '../functions/core/use-cases/import-events.js';
import { importPractices, practiceColumns } from '../functions/core/use-cases/import-practices.js';
import { describeRefusal, emptySummary, type ImportObserver, type ImportSummary } from '../functions/core/use-cases/import-report.js';
import { importTeams, teamColumns } from '../functions/core/use-cases/import-teams.js';
import type { CliTarget } from './cli-target.js';
import { progressBar } from './progress.js';

export const importUsage = [
  'npm run cli -- events import <events.json> [--dry-run] [--regions <regions.csv>] [--junior] [--country <code>]',
  '                 [--country-name <name>] [--time-zone <zone>] [--start-time <HH:MM>] [--team-address <pattern>]',
  'npm run cli -- teams import <event-teams.csv> [--dry-run]',
  'npm run cli -- practices import <practices.csv> [--dry-run] [--introduce] [--spread-weeks <n>]',
];

export type ImportKind = 'events' | 'teams' | 'practices';

const options = {
  events: {
    'dry-run': { type: 'boolean' },
    regions: { type: 'string' },
    junior: { type: 'boolean' },
    country: { type: 'string' },
    'country-name': { type: 'string' },
    'time-zone': { type: 'string' },
    'start-time': { type: 'string' },
    'team-address': { type: 'string' },
  },
  teams: { 'dry-run': { type: 'boolean' } },
  practices: { 'dry-run': { type: 'boolean' }, introduce: { type: 'boolean' }, 'spread-weeks': { type: 'string' } },
} as const;

export class UsageError extends Error {}

/** Who ran it, for the audit log: the operator's login on their laptop. */
const actor = () => `${userInfo().username} (npm run cli)`;

export async function runImport(kind: ImportKind, args: string[], target: CliTarget, out: (line: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: options[kind], allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] };
  if (positionals.length !== 1) throw new UsageError(`${kind} import takes one file`);
  const [file] = positionals as [string];
  const dryRun = values['dry-run'] === true;
  const config = loadTableConfig(target.env);
  const clock = target.localNow ? new FixedClock(target.localNow) : systemClock;
  const events = new DynamoEventDirectory(target.doc, config.tableName);
  const registry = new DynamoEventRegistry(target.doc, config.tableName);

  const progress = progressBar(`${kind}${dryRun ? ' (dry run)' : ''}`, out);
  let refused = 0;
  const observer: ImportObserver = {
    refused: (r) => {
      refused++;
      progress.line(describeRefusal(r));
    },
    progress: (done, total) => progress.update(done, total),
  };
  let summary: ImportSummary;
  try {
    if (kind === 'events') {
      const selection = selectionOf(values);
      await checkEventFeed(file);
      const regionsFile = typeof values.regions === 'string' ? values.regions : undefined;
      if (regionsFile) await countCsvRows(regionsFile, regionColumns);
      summary = await importEvents(
        { events, registry, clock },
        { features: eventFeedFeatures(file), ...(regionsFile ? { regions: csvRows(regionsFile, regionColumns) } : {}), selection, dryRun },
        observer,
      );
    } else if (kind === 'teams') {
      const total = await countCsvRows(file, teamColumns);
      summary = await importTeams({ events, registry, clock }, { rows: csvRows(file, teamColumns), total, dryRun, actor: actor() }, observer);
    } else {
      const weeks = values['spread-weeks'] === undefined ? defaultSpreadDays / 7 : Number(values['spread-weeks']);
      if (!Number.isInteger(weeks) || weeks < 1 || weeks > 26) throw new UsageError('--spread-weeks must be a whole number of weeks from 1 to 26');
      const total = await countCsvRows(file, practiceColumns);
      summary = await importPractices(
        { events, imports: new DynamoPracticeImports(target.doc, config.tableName), clock, nudgePolicy: config.nudgePolicy },
        { rows: csvRows(file, practiceColumns), total, dryRun, introduce: values.introduce === true, spreadDays: weeks * 7, actor: actor() },
        observer,
      );
    }
  } catch (error) {
    progress.stop();
    if (!(error instanceof UnusableFileError)) throw error;
    out(`${error.message}. Nothing was stored.`);
    out(JSON.stringify(emptySummary()));
    return 2;
  }
  progress.stop();
  out(JSON.stringify(summary));
  return refused > 0 || summary.refused > 0 ? 1 : 0;
}

function selectionOf(values: Record<string, string | boolean | undefined>): FeedSelection {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const country = text('country');
  if (country !== undefined && !/^\d+$/.test(country)) throw new UsageError(`--country takes parkrun's country code, a number such as 97 (the UK), not "${country}"`);
  try {
    return feedSelection({
      ...(country !== undefined ? { countryCode: Number(country) } : {}),
      junior: values.junior === true,
      ...(text('country-name') ? { countryName: text('country-name') } : {}),
      ...(text('time-zone') ? { timeZone: text('time-zone') } : {}),
      ...(text('start-time') ? { startTime: text('start-time') } : {}),
      ...(text('team-address') ? { teamAddressPattern: text('team-address') } : {}),
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
