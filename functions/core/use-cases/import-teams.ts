/**
 * Go-live, part two, and every year after: who runs each event. A CSV of `event,name,email`,
 * a row per director, replaces the directors of each event it lists (events it does not
 * list keep theirs). A director taken off an event gets no more mail about it, and the
 * links they hold for it stop working, as after a hand-over: both follow from the event's
 * list (see eventContacts and isCurrentContact). Each event's change is audited.
 *
 * An event's team is all or nothing: if any of its rows is refused, none is applied and
 * the event keeps the team it had, so a typo never drops a director by accident.
 */
import type { EventDirector } from '../model.js';
import { normaliseName } from '../policies/event-names.js';
import { forEachAtMost } from '../concurrency.js';
import type { Clock, EventDirectory, EventRegistry } from '../ports.js';
import { emptySummary, importConcurrency, type ImportObserver, type ImportSummary } from './import-report.js';
import { newDirector, teamChangeDetail } from './event-teams.js';

export interface ImportTeamsDeps {
  events: EventDirectory;
  registry: EventRegistry;
  clock: Clock;
}

export const teamColumns = { required: ['event', 'name', 'email'] } as const;

export interface TeamRows {
  rows: AsyncIterable<{ line: number; values: Record<string, string>; badEncoding?: boolean }>;
  total?: number;
  dryRun: boolean;
  /** Who ran the import, for the audit log. */
  actor: string;
}

export async function importTeams(deps: ImportTeamsDeps, input: TeamRows, observer: ImportObserver): Promise<ImportSummary> {
  const summary = emptySummary();
  const events = new Map((await deps.events.listEvents()).map((e) => [e.shortName, e]));
  const byName = new Map([...events.values()].map((e) => [normaliseName(e.name), e.shortName]));
  const teams = new Map<string, Array<{ line: number; director: EventDirector }>>();
  /** Events with a refused row, and the first such line: their teams stay as they are. */
  const spoilt = new Map<string, number>();
  const refuse = (line: number, field: string, reason: string) => observer.refused({ where: `line ${line}`, field, reason });

  let done = 0;
  for await (const row of input.rows) {
    observer.progress?.(++done, input.total);
    const typed = row.values.event ?? '';
    const shortName = events.has(normaliseName(typed)) ? normaliseName(typed) : byName.get(normaliseName(typed));
    const problems: Array<{ field: string; reason: string }> = [];
    if (!shortName) problems.push({ field: 'event', reason: typed.trim() ? `no event "${typed.trim()}" is on record: import the events first, or check the short name` : 'event is required' });
    if (row.badEncoding) problems.push({ field: 'file', reason: 'this row has characters that are not UTF-8: save the file as "CSV UTF-8"' });
    const parsed = newDirector.safeParse({ name: row.values.name, email: row.values.email });
    if (!parsed.success) for (const issue of parsed.error.issues) problems.push({ field: String(issue.path[0] ?? 'row'), reason: issue.message });
    const team = shortName ? (teams.get(shortName) ?? []) : [];
    const twice = parsed.success ? team.find((t) => t.director.email === parsed.data.email) : undefined;
    if (twice) problems.push({ field: 'email', reason: `${parsed.data!.email} is a director of ${shortName} already, on line ${twice.line}` });
    if (problems.length > 0) {
      summary.refused++;
      for (const p of problems) refuse(row.line, p.field, p.reason);
      if (shortName && !spoilt.has(shortName)) spoilt.set(shortName, row.line);
      continue;
    }
    team.push({ line: row.line, director: parsed.data! });
    teams.set(shortName!, team);
  }

  // An event with a refused row keeps its team: its good rows are not applied either, and say why.
  for (const [shortName, line] of spoilt) {
    for (const { line: other } of teams.get(shortName) ?? []) {
      summary.refused++;
      refuse(other, 'event', `not applied: line ${line} for ${shortName} was refused, so ${shortName} keeps its team until the file is put right`);
    }
    teams.delete(shortName);
  }

  const changes: Array<{ shortName: string; next: EventDirector[]; previous: EventDirector[] }> = [];
  for (const [shortName, rows] of teams) {
    const previous = events.get(shortName)!.eventDirectors;
    const next = rows.map((r) => r.director);
    const key = (list: EventDirector[]) => JSON.stringify(list.map((d) => [d.email.toLowerCase(), d.name]).sort());
    if (key(previous) === key(next)) summary.unchanged++;
    else {
      summary[previous.length === 0 ? 'created' : 'updated']++;
      changes.push({ shortName, next, previous });
    }
  }
  if (input.dryRun) return summary;

  const at = deps.clock.now().toISOString();
  await forEachAtMost(changes, importConcurrency, async ({ shortName, next, previous }) => {
    await deps.registry.replaceTeam(shortName, next, previous, { at, actor: input.actor, action: 'team-import', id: `team-import-${shortName}-${at}`, detail: teamChangeDetail(previous, next) });
  });
  return summary;
}
