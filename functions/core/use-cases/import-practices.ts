/**
 * Go-live, part three: the ~2,000 practices that registered before this product existed,
 * from head office's spreadsheet. Every row passes the very rules, and gets the very
 * messages, of `POST /api/registrations`; a row is stored whole (the practice, its links,
 * where each starts on the quiet-link ladder, its first takeover prompt and feedback ask,
 * history and audit) or not at all.
 *
 * Nothing is mailed unless `introduce` is set. Then introductions are queued, spread over
 * the following weeks: each event team gets one email, in its next digest, listing every
 * practice newly brought in for it, and each champion one email listing their events. The
 * quiet-link sweep sends them, within quiet hours, the send rate and the digest interval.
 *
 * A practice already on record keeps its details, as with a registration: only its missing
 * links are added. Running the import again adds nothing and mails nobody.
 */
import { ConflictError, UnknownEventError, ValidationError } from '../errors.js';
import { importedLink, introductionTimes, firstAsks, instantOfDay, type ImportTiming } from '../policies/imported-links.js';
import { isoDayOf } from '../policies/event-dates.js';
import { parseRegistrationInput } from '../policies/registration-input.js';
import { workPool } from '../concurrency.js';
import type { Clock, EventDirectory, PracticeImports } from '../ports.js';
import type { NudgePolicy } from '../policies/quiet-link-ladder.js';
import { resolveEvents, type EventFinder } from './submit-registration.js';
import { emptySummary, importConcurrency, type ImportObserver, type ImportSummary } from './import-report.js';

export interface ImportPracticesDeps {
  events: EventDirectory;
  imports: PracticeImports;
  clock: Clock;
  nudgePolicy: NudgePolicy;
}

/** Tries at storing a row that collided with another write. */
const maxAttempts = 6;

export const practiceColumns = {
  required: ['practiceCode', 'practiceName', 'postcode', 'championName', 'championRole', 'championEmail', 'events'],
  optional: ['championPhone', 'registeredOn', 'lastContactOn'],
} as const;

/** The registration's field names as the spreadsheet's columns. */
const columnOf: Record<string, string> = {
  'champion.name': 'championName',
  'champion.role': 'championRole',
  'champion.email': 'championEmail',
  'champion.phone': 'championPhone',
  champion: 'championName',
};

export interface PracticeRows {
  rows: AsyncIterable<{ line: number; values: Record<string, string>; badEncoding?: boolean }>;
  total?: number;
  dryRun: boolean;
  introduce: boolean;
  /** Over how many days first checks and introductions are spread. */
  spreadDays: number;
  actor: string;
}

/** A day from the spreadsheet: YYYY-MM-DD, a real date, not in the future. */
function dayProblem(field: string, value: string, today: string): string | undefined {
  if (!value) return undefined;
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(value) && instantOfDay(value).toISOString().slice(0, 10) === value;
  if (!valid) return `${field} must be a date written as YYYY-MM-DD, such as 2019-05-14 (not "${value}")`;
  if (value > today) return `${field} is in the future (${value})`;
  if (value < '2000-01-01') return `${field} is before 2000 (${value}): check the year`;
  return undefined;
}

export async function importPractices(deps: ImportPracticesDeps, input: PracticeRows, observer: ImportObserver): Promise<ImportSummary> {
  const summary = emptySummary();
  const now = deps.clock.now();
  const today = isoDayOf(now, 'Europe/London');
  const timing: ImportTiming = { now, spreadDays: input.spreadDays, policy: deps.nudgePolicy };
  // Every event's names once (not whole events: memory stays small), then each row's are found in memory: no read per row.
  const catalog = await deps.events.eventNames();
  const byShortName = new Map(catalog.map((e) => [e.shortName, { shortName: e.shortName, feed: { inFeed: e.inFeed } }]));
  const inMemory: EventFinder = {
    getEvents: async (names) => new Map(names.flatMap((n) => (byShortName.has(n) ? [[n, byShortName.get(n)!] as const] : []))),
    eventNames: async () => catalog,
  };
  const seen = new Map<string, number>();
  const pool = workPool(importConcurrency);
  let done = 0;

  for await (const row of input.rows) {
    observer.progress?.(++done, input.total);
    const problems: Array<{ field: string; reason: string }> = [];
    const v = row.values;
    let parsed: ReturnType<typeof parseRegistrationInput> | undefined;
    try {
      parsed = parseRegistrationInput({
        practiceCode: v.practiceCode,
        practiceName: v.practiceName,
        postcode: v.postcode,
        champion: { name: v.championName, role: v.championRole, email: v.championEmail, phone: v.championPhone },
        events: (v.events ?? '').split(';'),
        contactedEventTeam: true,
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const [field, reason] of Object.entries(error.fields)) problems.push({ field: columnOf[field] ?? field, reason });
    }
    let events: string[] = [];
    if (parsed) {
      try {
        events = await resolveEvents(inMemory, parsed.events, catalog);
      } catch (error) {
        if (!(error instanceof UnknownEventError)) throw error;
        problems.push({ field: 'events', reason: error.message });
      }
    }
    for (const field of ['registeredOn', 'lastContactOn'] as const) {
      const problem = dayProblem(field, v[field] ?? '', today);
      if (problem) problems.push({ field, reason: problem });
    }
    if (row.badEncoding) problems.push({ field: 'file', reason: 'this row has characters that are not UTF-8: save the file as "CSV UTF-8"' });
    const code = parsed?.practiceCode;
    if (code && seen.has(code)) problems.push({ field: 'practiceCode', reason: `${code} is on line ${seen.get(code)} already: one row per practice, with its events separated by ;` });
    if (code && !seen.has(code)) seen.set(code, row.line);
    if (problems.length > 0 || !parsed) {
      summary.refused++;
      for (const p of problems) observer.refused({ where: `line ${row.line}`, field: p.field, reason: p.reason });
      continue;
    }

    const registration = parsed;
    const line = row.line;
    const days = { ...(v.registeredOn ? { registeredOn: v.registeredOn } : {}), ...(v.lastContactOn ? { lastContactOn: v.lastContactOn } : {}) };
    await pool.run(async () => {
      const outcome = await storeRow(registration, events, days);
      if (outcome === 'conflict') {
        summary.refused++;
        observer.refused({ where: `line ${line}`, field: 'practiceCode', reason: `${registration.practiceCode} changed while it was being imported (a registration at the same moment?): run the import again` });
      } else summary[outcome]++;
    });
  }
  await pool.drain();
  return summary;

  async function storeRow(
    registration: ReturnType<typeof parseRegistrationInput>,
    events: string[],
    days: { registeredOn?: string; lastContactOn?: string },
    attempt = 1,
  ): Promise<'created' | 'updated' | 'unchanged' | 'conflict'> {
    const existing = await deps.imports.existing(registration.practiceCode);
    const toLink = events.filter((e) => !existing.linkedEvents.includes(e));
    if (toLink.length === 0) return 'unchanged';
    const isNew = !existing.practice;
    if (input.dryRun) return isNew ? 'created' : 'updated';
    const introductions = input.introduce ? introductionTimes(toLink, timing) : undefined;
    const links = toLink.map((eventShortName) =>
      importedLink(
        { practiceCode: registration.practiceCode, eventShortName, ...days },
        timing,
        introductions?.events[eventShortName],
      ),
    );
    const { promptAt, askAt } = firstAsks(links, now);
    const practice = {
      code: registration.practiceCode,
      name: registration.practiceName,
      postcode: registration.postcode,
      champion: { name: registration.champion.name, role: registration.champion.role, email: registration.champion.email, ...(registration.champion.phone ? { phone: registration.champion.phone } : {}) },
    };
    try {
      await deps.imports.store({ practice, isNew, links, firstPromptAt: promptAt, firstAskAt: askAt, ...(introductions ? { introductions } : {}), at: now, actor: input.actor });
      return isNew ? 'created' : 'updated';
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // A registration landed between the read and the write, or another row of this run
      // added to the same event's introduction at the same moment: look again, a few times.
      if (attempt >= maxAttempts) return 'conflict';
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
      return storeRow(registration, events, days, attempt + 1);
    }
  }
}
