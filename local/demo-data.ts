/**
 * Demo data for `npm start`: real UK parkrun events (with made-up event directors) and
 * made-up practices, linked in the proportions the event-team survey found: about 70%
 * of events linked, mostly with one or two practices, a few with many. Addresses use
 * reserved example domains, so nothing here can reach a real inbox.
 */
import type { DocumentClient } from '../functions/adapters/dynamo/document-client.js';
import { batchWriteAll } from '../functions/adapters/dynamo/batch-write.js';
import { dueShard, eventItem, feedbackReportItem, keys, linkItem, practiceItem } from '../functions/adapters/dynamo/items.js';
import type { Link, ParkrunEvent, Practice } from '../functions/core/model.js';
import { nextAskAt, periodAskedAt, periodsBefore } from '../functions/core/policies/feedback-calendar.js';
import { defaultNudgePolicy, nextCheck } from '../functions/core/policies/quiet-link-ladder.js';

const uk = { timeZone: 'Europe/London', startTime: '09:00', weekday: 6 } as const;
const ed = (name: string, event: string) => ({ name, email: `${name.split(' ')[0]!.toLowerCase()}.${event}@parkrun.example` });

export const demoEvents: ParkrunEvent[] = [
  { shortName: 'bushy', name: 'Bushy parkrun', country: 'England', region: 'London', ...uk, eventDirectors: [ed('Sarah Okafor', 'bushy'), ed('Tom Whitley', 'bushy')], firstTimerContact: { id: 'demo-jo', firstName: 'Jo', whereToFind: 'by the finish funnel in a pink First Timers vest from 08:45', email: 'jo.bushy@parkrun.example', confirmedAt: '2026-01-10T10:00:00.000Z' } },
  { shortName: 'hackney-marshes', name: 'Hackney Marshes parkrun', country: 'England', region: 'London', ...uk, eventDirectors: [ed('Priya Shah', 'hackneymarshes')] },
  { shortName: 'southampton', name: 'Southampton parkrun', country: 'England', region: 'South East', ...uk, eventDirectors: [ed('Gareth Hughes', 'southampton')] },
  { shortName: 'prestonpark', name: 'Preston Park parkrun', country: 'England', region: 'South East', ...uk, eventDirectors: [ed('Amelia Clarke', 'prestonpark')] },
  { shortName: 'woodhousemoor', name: 'Woodhouse Moor parkrun', country: 'England', region: 'Yorkshire and the Humber', ...uk, eventDirectors: [ed('Daniel Marsh', 'woodhousemoor'), ed('Fatima Begum', 'woodhousemoor')] },
  { shortName: 'newcastle', name: 'Newcastle parkrun', country: 'England', region: 'North East', ...uk, eventDirectors: [ed('Ian Robson', 'newcastle')] },
  { shortName: 'heatonpark', name: 'Heaton Park parkrun', country: 'England', region: 'North West', ...uk, eventDirectors: [ed('Claire Doyle', 'heatonpark')] },
  { shortName: 'cannonhill', name: 'Cannon Hill parkrun', country: 'England', region: 'West Midlands', ...uk, eventDirectors: [ed('Marcus Bennett', 'cannonhill')] },
  { shortName: 'colwick', name: 'Colwick parkrun', country: 'England', region: 'East Midlands', ...uk, eventDirectors: [ed('Helen Foster', 'colwick')] },
  { shortName: 'cardiff', name: 'Cardiff parkrun', country: 'Wales', region: 'Wales', ...uk, eventDirectors: [ed('Rhys Evans', 'cardiff')] },
  { shortName: 'edinburgh', name: 'Edinburgh parkrun', country: 'Scotland', region: 'Scotland', ...uk, eventDirectors: [ed('Fiona Campbell', 'edinburgh')] },
  { shortName: 'victoria', name: 'Victoria parkrun', country: 'Northern Ireland', region: 'Northern Ireland', ...uk, eventDirectors: [ed('Ciaran Kelly', 'victoria')] },
];

const champion = (name: string, role: string) => ({
  name,
  role,
  email: `${name.toLowerCase().replace(/^dr /, '').replace(/ /g, '.')}@nhs.example`,
});

export const demoPractices: Practice[] = [
  { code: 'E84001', name: 'Hampton Wick Surgery', postcode: 'KT1 4AB', champion: champion('Dr Anna Lewis', 'GP') },
  { code: 'E84002', name: 'Teddington Medical Centre', postcode: 'TW11 8HU', champion: champion('Mark Evans', 'Practice manager') },
  { code: 'E84003', name: 'Fulwell Health Centre', postcode: 'TW2 5PR', champion: champion('Grace Adeyemi', 'Social prescribing link worker') },
  { code: 'F84010', name: 'Marsh Lane Surgery', postcode: 'E9 5HT', champion: champion('Dr Sam Patel', 'GP') },
  { code: 'F84011', name: 'Lea Bridge Practice', postcode: 'E5 9QB', champion: champion('Nadia Rahman', 'Practice nurse') },
  { code: 'J82020', name: 'Common Road Surgery', postcode: 'SO15 7JL', champion: champion('Lucy Hart', 'Practice manager') },
  { code: 'H85030', name: 'Preston Road Practice', postcode: 'BN1 6SD', champion: champion('Dr Oliver Grant', 'GP') },
  { code: 'H85031', name: 'Stanford Avenue Surgery', postcode: 'BN1 6EA', champion: champion('Chloe Martin', 'Health care assistant') },
  { code: 'B86040', name: 'Hyde Park Surgery', postcode: 'LS6 1BX', champion: champion('Dr Ben Carter', 'GP') },
  { code: 'B86041', name: 'Woodsley Road Medical Practice', postcode: 'LS3 1DT', champion: champion('Hannah Wood', 'Practice nurse') },
  { code: 'B86042', name: 'Burley Park Health Centre', postcode: 'LS4 2QA', champion: champion('Aisha Khan', 'Social prescribing link worker') },
  { code: 'B86043', name: 'Headingley Lane Surgery', postcode: 'LS6 3AQ', champion: champion('Peter Lowe', 'Practice manager') },
  { code: 'B86044', name: 'Little London Surgery', postcode: 'LS7 1PB', champion: champion('Dr Emma Wright', 'GP') },
  { code: 'A87050', name: 'Town Moor Medical Group', postcode: 'NE2 4AA', champion: champion('Jack Milburn', 'Practice manager') },
  { code: 'P84060', name: 'Heaton Park Road Surgery', postcode: 'M25 2SW', champion: champion('Dr Zara Ali', 'GP') },
  { code: 'W97070', name: 'Pontcanna Medical Centre', postcode: 'CF11 9HN', champion: champion('Megan Jones', 'Practice nurse') },
];

const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

/** [practice code, event, days since last contact or null for none yet] */
const linkPlan: Array<[string, string, number | null]> = [
  ['E84001', 'bushy', 12],
  ['E84002', 'bushy', 55],
  ['E84003', 'bushy', null],
  ['F84010', 'hackney-marshes', 30],
  ['F84011', 'hackney-marshes', 70],
  ['J82020', 'southampton', 8],
  ['H85030', 'prestonpark', 44],
  ['H85031', 'prestonpark', 20],
  ['B86040', 'woodhousemoor', 5],
  ['B86041', 'woodhousemoor', 60],
  ['B86042', 'woodhousemoor', 16],
  ['B86043', 'woodhousemoor', 90],
  ['B86044', 'woodhousemoor', null],
  ['A87050', 'newcastle', 33],
  ['P84060', 'heatonpark', 100],
  ['W97070', 'cardiff', 25],
  ['E84001', 'hackney-marshes', 48],
];

export function demoLinks(now: Date): Link[] {
  return linkPlan.map(([practiceCode, eventShortName, contactDaysAgo], i) =>
    withLadder(
      {
        practiceCode,
        eventShortName,
        status: contactDaysAgo === null ? 'introduced' : 'active',
        createdAt: daysAgo(now, 120 + i * 9),
        createdBy: 'demo-data',
        initialContact: i % 6 === 5 ? 'introduction' : 'practice',
        introducedAt: daysAgo(now, 120 + i * 9),
        ...(contactDaysAgo !== null ? { lastContactAt: daysAgo(now, contactDaysAgo), lastContactBy: i % 2 ? 'event' : 'practice' } : {}),
      },
      now,
    ),
  );
}

/**
 * Where a real link would be on the quiet-link ladder after that long without contact:
 * quiet from 42 days (nudged), nudged again at 56, at risk from 70; and due at its next
 * check. So head office's dashboard has something in every column from the start.
 */
function withLadder(link: Link, now: Date): Link {
  const days = link.lastContactAt ? Math.floor((now.getTime() - Date.parse(link.lastContactAt)) / 86_400_000) : 0;
  const { quietAfterDays: quiet, rungSpacingDays: spacing } = defaultNudgePolicy;
  const since = (d: number) => new Date(Date.parse(link.lastContactAt ?? link.createdAt) + d * 86_400_000).toISOString();
  const rung: 0 | 1 | 2 | 3 = days >= quiet + 2 * spacing ? 3 : days >= quiet + spacing ? 2 : days >= quiet ? 1 : 0;
  const offset = [0, quiet, quiet + spacing, quiet + 2 * spacing][rung]!;
  const ladder: NonNullable<Link['ladder']> = rung === 0 ? { rung: 0 } : { rung, rungAt: since(offset), quietSince: since(quiet) };
  const placed: Link = { ...link, ladder, rev: 0, ...(rung === 3 ? { status: 'at-risk', atRiskAt: since(offset) } : rung > 0 ? { status: 'quiet' } : {}) };
  const dueAt = nextCheck(placed, ladder, defaultNudgePolicy);
  return { ...placed, ...(dueAt ? { dueAt: dueAt.toISOString() } : {}) };
}

export async function loadDemoData(doc: DocumentClient, tableName: string, now: Date): Promise<{ events: number; practices: number; links: number }> {
  const at = daysAgo(now, 200);
  const items: Record<string, unknown>[] = [
    ...demoEvents.map(eventItem),
    ...demoPractices.map((p) => practiceItem(p, at)),
    ...demoLinks(now).map(linkItem),
    // Takeover planning prompts, staggered over the coming weeks so they do not all arrive on one Monday; the first are due on the next one.
    ...demoLinks(now).map((link, i) => {
      const key = keys.takeoverPrompt(link.practiceCode, link.eventShortName);
      return { ...key, entityType: 'TakeoverPrompt', practiceCode: link.practiceCode, eventShortName: link.eventShortName, planned: false, dueAt: daysAgo(now, -7 * (i % 12)), dueShard: dueShard(key.pk, key.sk, 'PROMPT'), rev: 1 };
    }),
    // Monthly feedback: every link is asked on the next first Tuesday of a month.
    ...demoLinks(now).map((link) => {
      const key = keys.feedbackAsk(link.practiceCode, link.eventShortName);
      return { ...key, entityType: 'FeedbackAsk', practiceCode: link.practiceCode, eventShortName: link.eventShortName, dueAt: nextAskAt(now).toISOString(), dueShard: dueShard(key.pk, key.sk, 'FEEDBACK'), rev: 1 };
    }),
    // Last month's numbers from the practices in touch lately, so the next ask goes to them
    // even when their quiet date is near (attendance-feedback.ts askable).
    ...demoLinks(now)
      .filter((link) => link.status === 'active' && link.lastContactAt && now.getTime() - Date.parse(link.lastContactAt) <= 30 * 86_400_000)
      .map((link, i) => {
        const period = periodsBefore(periodAskedAt(nextAskAt(now)), 1)[0]!;
        return feedbackReportItem({
          practiceCode: link.practiceCode,
          eventShortName: link.eventShortName,
          period,
          suggested: 3 + (i % 5),
          attended: 1 + (i % 2),
          staff: { walked: i % 2 === 0, ran: false, volunteered: i % 3 === 0 },
          answeredAt: link.lastContactAt!,
        });
      }),
  ];
  await batchWriteAll(doc, tableName, items);
  return { events: demoEvents.length, practices: demoPractices.length, links: linkPlan.length };
}
