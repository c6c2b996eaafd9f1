/**
 * Finding an event by what a person types: its short name as in parkrun's URLs (`bushy`)
 * or its long name (`Bushy parkrun`), in any case and spacing. When nothing matches, the
 * closest names are suggested, so a typo gets "did you mean" rather than a dead end.
 */
import { distance } from 'fastest-levenshtein';

/** An event's names and place: what the registration form lists and names are matched against. */
export interface EventName {
  shortName: string;
  name: string;
  region: string;
  /** False once the event has gone from parkrun's feed: not offered, not registrable. */
  inFeed: boolean;
}

/** Lower case, single spaces, no ends: how typed names are compared. */
export const normaliseName = (text: string) => text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** The event a typed name means, by short name or long name; undefined when none. */
export function findEventName(typed: string, catalog: readonly EventName[]): EventName | undefined {
  const wanted = normaliseName(typed);
  return catalog.find((e) => e.shortName === wanted) ?? catalog.find((e) => normaliseName(e.name) === wanted);
}

/** How far a typed name is from an event: the nearer of its short and long names (the long name also without "parkrun"). */
function nearness(wanted: string, event: EventName): number {
  const long = normaliseName(event.name);
  const bare = long.replace(/\s*(?:junior\s+)?parkrun$/, '');
  const candidates = [event.shortName, long, bare];
  // A name typed in part ("hackney") is closer than its edit distance says.
  if (wanted.length >= 3 && candidates.some((c) => c.startsWith(wanted) || c.includes(` ${wanted}`))) return 0.5;
  return Math.min(...candidates.map((c) => distance(wanted, c)));
}

/**
 * Up to `count` long names closest to what was typed, nearest first, among events still
 * in the feed; names too far off (more than about a third of what was typed) are left out.
 */
export function closestEventNames(typed: string, catalog: readonly EventName[], count = 3): string[] {
  const wanted = normaliseName(typed);
  if (!wanted) return [];
  const limit = Math.max(2, Math.ceil(wanted.length / 3));
  return catalog
    .filter((e) => e.inFeed)
    .map((e) => ({ e, d: nearness(wanted, e) }))
    .filter(({ d }) => d <= limit)
    .sort((a, b) => a.d - b.d || a.e.name.localeCompare(b.e.name))
    .slice(0, count)
    .map(({ e }) => e.name);
}
