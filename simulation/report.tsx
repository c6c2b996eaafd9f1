/**
 * The simulation's report: a summary of the figures the issue asks for (JSON, the last
 * line of output, for comparing policies by script) and an HTML page with charts, drawn
 * by the same server-side SVG charts as the head-office dashboard.
 */
import { BarChart, LineChart } from '../functions/api/views/charts.js';
import {
  busiestPersonMonths,
  checkTargets,
  duplicateEmails,
  emailsPerPersonMonth,
  ledgerEntriesOf,
  quietHourEmails,
  templateTotals,
  unaskedEmailsPerPersonMonth,
  type Contradiction,
  contactByReply,
  isRelayedReply,
  type ContactByReply,
  type PersonMonth,
  type Spread,
  type TargetResult,
} from './measures.js';
import type { MailboxMessage } from '../local/mailbox.js';
import type { SimulationResult } from './simulate.js';

/** The survey's share of linked events that keep in contact with their practices. */
export const contactBaseline = 0.396;

export interface Summary {
  events: number;
  practices: number;
  weeks: number;
  seed: number;
  policy: SimulationResult['options']['policy'];
  budget: SimulationResult['options']['budget'];
  emails: number;
  ledgerSent: number;
  quietHourEmails: number;
  duplicateEmails: number;
  /** Our emails per event director per month: replies relayed from the other side are not ours (measures.isRelayedReply). */
  edEmailsPerMonth: Spread;
  edEmailsPerMonthMax: number;
  /** The same, relayed replies included. */
  edEmailsPerMonthWithRelayedReplies: Spread;
  championEmailsPerMonth: Spread;
  championEmailsPerMonthMax: number;
  championEmailsPerMonthWithRelayedReplies: Spread;
  /** Emails tagged `budget: unasked` per champion per month: what the per-person budget limits. */
  championUnaskedEmailsPerMonth: Spread;
  championUnaskedEmailsPerMonthMax: number;
  /** Asks for a hello about a link with a takeover offered or planned at the time: nudges to champions and entries in directors' digests. */
  contradictoryNudges: number;
  contradictoryNudgesBy: { nudges: number; digests: number };
  /** Asks for a hello checked (once per email and link): the contradictions are out of these. */
  helloAsksChecked: number;
  /** Emails by template over the year, each once (a round-up as `round-up`); and what the round-ups carried, by their parts' templates. */
  byTemplate: Record<string, number>;
  roundUpParts: Record<string, number>;
  /** Issue 19's targets (measures.issue19Targets) this run missed, by label; none is all met. */
  targetsMissed: string[];
  /** Share of links with contact in the last 90 days, at the end of the year. */
  contactShare90d: number;
  contactShare90dBaseline: number;
  contactShare90dByWeek: number[];
  takeoversPlanned: number;
  takeoversDone: number;
  takeovers: Record<string, number>;
  feedbackResponseRate: number;
  atRiskLinks: number;
  answers: SimulationResult['answers'];
  refusedWith: SimulationResult['refusedWith'];
  /** Contact recorded by people, by "We're in touch" or by replying to the email, and the share by reply. */
  contactByReply: ContactByReply;
  replyOutcomes: SimulationResult['replyOutcomes'];
  errors: number;
  registrations: SimulationResult['registrations'];
  itemsReadPerWeek: { median: number; max: number };
  requestsPerWeek: { median: number; max: number };
  wallSecondsPerWeek: { median: number; max: number };
  wallSeconds: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : 0;
};

/** Who an address is; volunteers are known by their address, as directors name them in the run. */
const roleOfIn = (result: SimulationResult) => (address: string) =>
  result.people.get(address) ?? (address.startsWith('first-timers.') ? { role: 'volunteer' as const, timeZone: 'Europe/London' } : undefined);

export function summarise(result: SimulationResult): Summary {
  const quiet = quietHourEmails(result.messages, roleOfIn(result));
  // A delivery the ledger does not account for is a double send, whatever its content (a round-up's parts each have their entry).
  const duplicates = Math.max(duplicateEmails(result.messages).length, ledgerEntriesOf(result.messages) - result.ledgerSent);
  const ours = result.messages.filter((m) => !isRelayedReply(m));
  const ed = emailsPerPersonMonth(ours, result.directors, result.startedAt, result.endedAt);
  const champion = emailsPerPersonMonth(ours, result.champions, result.startedAt, result.endedAt);
  const championUnasked = unaskedEmailsPerPersonMonth(result.messages, result.champions, result.startedAt, result.endedAt);
  const templates = templateTotals(result.messages);
  const { contradictions } = result;
  const last = result.weeks[result.weeks.length - 1];
  const planned = Object.entries(result.takeovers)
    .filter(([status]) => status !== 'proposed' && status !== 'declined')
    .reduce((sum, [, n]) => sum + n, 0);
  const contactShare90d = last?.contactShare90d ?? 0;
  const takeoversDone = result.takeovers.done ?? 0;
  const feedbackResponseRate = result.feedbackAsked ? Number((result.feedbackReports / result.feedbackAsked).toFixed(3)) : 0;
  const targets = checkTargets({
    edEmailsPerMonth: ed,
    championUnaskedEmailsPerMonth: championUnasked,
    championEmailsPerMonthMax: champion.max,
    contradictoryNudges: contradictions.length,
    contactShare90d,
    takeoversDone,
    feedbackResponseRate,
  });
  return {
    events: result.options.events,
    practices: result.options.practices,
    weeks: result.options.weeks,
    seed: result.options.seed,
    policy: result.options.policy,
    budget: result.options.budget,
    emails: result.messages.length,
    ledgerSent: result.ledgerSent,
    quietHourEmails: quiet.length,
    duplicateEmails: duplicates,
    edEmailsPerMonth: ed,
    edEmailsPerMonthMax: ed.max,
    edEmailsPerMonthWithRelayedReplies: emailsPerPersonMonth(result.messages, result.directors, result.startedAt, result.endedAt),
    championEmailsPerMonthWithRelayedReplies: emailsPerPersonMonth(result.messages, result.champions, result.startedAt, result.endedAt),
    championEmailsPerMonth: champion,
    championEmailsPerMonthMax: champion.max,
    championUnaskedEmailsPerMonth: championUnasked,
    championUnaskedEmailsPerMonthMax: championUnasked.max,
    contradictoryNudges: contradictions.length,
    contradictoryNudgesBy: {
      nudges: contradictions.filter((c) => c.template === 'quiet-link-nudge').length,
      digests: contradictions.filter((c) => c.template === 'event-director-digest').length,
    },
    helloAsksChecked: result.helloAsksChecked,
    byTemplate: templates.byTemplate,
    roundUpParts: templates.roundUpParts,
    targetsMissed: targets.filter((t) => !t.met).map((t) => t.label),
    contactShare90d,
    contactShare90dBaseline: contactBaseline,
    contactShare90dByWeek: result.weeks.map((w) => w.contactShare90d),
    takeoversPlanned: planned,
    takeoversDone,
    takeovers: result.takeovers,
    feedbackResponseRate,
    atRiskLinks: last?.atRisk ?? 0,
    answers: result.answers,
    refusedWith: result.refusedWith,
    contactByReply: contactByReply(result.answers, result.replyOutcomes),
    replyOutcomes: result.replyOutcomes,
    errors: result.errors.length,
    registrations: result.registrations,
    itemsReadPerWeek: { median: median(result.weeks.map((w) => w.itemsRead)), max: Math.max(0, ...result.weeks.map((w) => w.itemsRead)) },
    requestsPerWeek: { median: median(result.weeks.map((w) => w.requests)), max: Math.max(0, ...result.weeks.map((w) => w.requests)) },
    wallSecondsPerWeek: { median: median(result.weeks.map((w) => w.wallSeconds)), max: Math.max(0, ...result.weeks.map((w) => w.wallSeconds)) },
    wallSeconds: result.wallSeconds,
  };
}

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const css = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
.chart{width:100%;height:auto}.chart-label,.chart-value{font-size:12px}.ok{color:#1d7a46}.bad{color:#b00020;font-weight:bold}`;

/** Emails the report must show one by one (there should be none): the first 50. */
function MessageList(props: { title: string; messages: MailboxMessage[] }) {
  if (props.messages.length === 0) return null;
  return (
    <>
      <h2>{props.title}</h2>
      <ul>
        {props.messages.slice(0, 50).map((m) => (
          <li>
            {m.sentAt} to {m.to.join(', ')}: {m.subject}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Issue 19's targets, each with this run's figure: met or not. */
function Targets(props: { results: TargetResult[] }) {
  return (
    <table>
      <tr>
        <th>target</th>
        <th>goal</th>
        <th>figure</th>
        <th></th>
      </tr>
      {props.results.map((t) => (
        <tr>
          <th>{t.label}</th>
          <td>{t.goal}</td>
          <td>{t.share ? pct(t.figure) : t.figure}</td>
          <td class={t.met ? 'ok' : 'bad'}>{t.met ? 'met' : 'not met'}</td>
        </tr>
      ))}
    </table>
  );
}

const countsText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([template, n]) => `${template} ${n}`)
    .join(', ');

/** The people-months with the most email: who, when, and what it was. */
function Busiest(props: { title: string; rows: PersonMonth[] }) {
  return (
    <>
      <h3>{props.title}</h3>
      {props.rows.length === 0 ? (
        <p>No email in a whole month.</p>
      ) : (
        <table>
          <tr>
            <th>who</th>
            <th>month</th>
            <th>emails</th>
            <th>by template (a round-up's parts counted one by one)</th>
            <th>round-ups (one email each)</th>
          </tr>
          {props.rows.map((r) => (
            <tr>
              <td>{r.address}</td>
              <td>{r.month}</td>
              <td>{r.emails}</td>
              <td>{countsText(r.byTemplate)}</td>
              <td>{r.roundUps ? `${r.roundUps}, carrying ${r.roundUpParts} parts` : ''}</td>
            </tr>
          ))}
        </table>
      )}
    </>
  );
}

/** The year's emails by template: alone, and as parts of round-ups. */
function ByTemplate(props: { byTemplate: Record<string, number>; roundUpParts: Record<string, number> }) {
  const names = [...new Set([...Object.keys(props.byTemplate), ...Object.keys(props.roundUpParts)])].filter((t) => t !== 'round-up');
  const alone = (t: string) => props.byTemplate[t] ?? 0;
  const inRoundUps = (t: string) => props.roundUpParts[t] ?? 0;
  names.sort((a, b) => alone(b) + inRoundUps(b) - alone(a) - inRoundUps(a) || a.localeCompare(b));
  return (
    <table>
      <tr>
        <th>template</th>
        <th>emails of its own</th>
        <th>parts of round-ups</th>
        <th>in all</th>
      </tr>
      {names.map((t) => (
        <tr>
          <td>{t}</td>
          <td>{alone(t)}</td>
          <td>{inRoundUps(t)}</td>
          <td>{alone(t) + inRoundUps(t)}</td>
        </tr>
      ))}
      <tr>
        <td>round-up (one email, several parts)</td>
        <td>{props.byTemplate['round-up'] ?? 0}</td>
        <td></td>
        <td></td>
      </tr>
    </table>
  );
}

/** Asks for a hello that contradicted a takeover (there should be none): the first 50. */
function Contradictions(props: { found: Contradiction[] }) {
  if (props.found.length === 0) return null;
  return (
    <>
      <h2>Contradictory nudges</h2>
      <ul>
        {props.found.slice(0, 50).map((c) => (
          <li>
            {c.sentAt} to {c.to}: {c.template === 'quiet-link-nudge' ? 'nudge' : 'digest lists as still quiet'} {c.link}
            {c.roundUp ? ' (in a round-up)' : ''}, with a takeover {c.takeover}
          </li>
        ))}
      </ul>
    </>
  );
}

export function reportHtml(summary: Summary, result: SimulationResult): string {
  const weeks = result.weeks.map((w) => w.from);
  const check = (label: string, value: number) => (
    <tr>
      <th>{label}</th>
      <td class={value === 0 ? 'ok' : 'bad'}>{value}</td>
    </tr>
  );
  const spreadRow = (label: string, s: Spread) => (
    <tr>
      <th>{label}</th>
      <td>{s.median}</td>
      <td>{s.p95}</td>
      <td>{s.max}</td>
    </tr>
  );
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Simulated year: parkrun practice nudges</title>
        <style>{css}</style>
      </head>
      <body>
        <h1>A simulated year</h1>
        <p>
          {summary.events} events, {summary.practices} practices, {summary.weeks} weeks, seed {summary.seed}. Policy: quiet after {summary.policy.quietAfterDays} days, rungs every{' '}
          {summary.policy.rungSpacingDays} days, at-risk pause {summary.policy.atRiskPauseDays} days, at most one unasked email a person per {summary.budget.unaskedEveryDays} days, one digest per{' '}
          {summary.policy.digestIntervalDays} days. Ran in {summary.wallSeconds} s.
        </p>
        <h2>Targets (issue 19)</h2>
        <Targets results={checkTargets(summary)} />
        <p>
          Contradictory nudges are out of {summary.helloAsksChecked} asks for a hello (nudges, alone or in round-ups, and the links digests list as still quiet; once per email and link), each
          checked against the link's takeovers as the email was read.
        </p>
        <h2>Promises</h2>
        <table>
          {check('Emails inside quiet hours', summary.quietHourEmails)}
          {check('Duplicate emails', summary.duplicateEmails)}
          {check('Server errors answering', summary.errors)}
        </table>
        <h2>Emails per person per month</h2>
        <table>
          <tr>
            <th></th>
            <th>median</th>
            <th>95th percentile</th>
            <th>maximum</th>
          </tr>
          {spreadRow('Event directors', summary.edEmailsPerMonth)}
          {spreadRow('Event directors, with the replies relayed to them', summary.edEmailsPerMonthWithRelayedReplies)}
          {spreadRow('Practice champions', summary.championEmailsPerMonth)}
          {spreadRow('Practice champions, with the replies relayed to them', summary.championEmailsPerMonthWithRelayedReplies)}
          {spreadRow('Practice champions, unasked email only', summary.championUnaskedEmailsPerMonth)}
        </table>
        <p>
          Over the calendar months wholly inside the run, a month without email counting as none. Our emails: a reply by email relayed from the other side is that person's
          own words, so it is counted apart. The busiest (relayed replies included, by template), where the maximum comes from:
        </p>
        <Busiest title="Event directors" rows={busiestPersonMonths(result.messages, result.directors, result.startedAt, result.endedAt)} />
        <Busiest title="Practice champions" rows={busiestPersonMonths(result.messages, result.champions, result.startedAt, result.endedAt)} />
        <h3>Emails by template over the run</h3>
        <ByTemplate byTemplate={summary.byTemplate} roundUpParts={summary.roundUpParts} />
        <h2>Contact in the last 90 days</h2>
        <p>
          {pct(summary.contactShare90d)} of links at the end, against the survey's {pct(contactBaseline)} of events keeping contact.
        </p>
        <LineChart
          id="contact"
          title="Share of links with contact in the last 90 days, by week, against the 39.6% baseline"
          weeks={weeks}
          percent
          lines={[
            { label: 'Simulated', values: result.weeks.map((w) => w.contactShare90d) },
            { label: 'Survey baseline', values: result.weeks.map(() => contactBaseline), dashed: true },
          ]}
        />
        <h2>Takeovers, feedback, links at risk</h2>
        <table>
          <tr>
            <th>Takeovers planned (a day fixed)</th>
            <td>{summary.takeoversPlanned}</td>
          </tr>
          <tr>
            <th>Takeovers done</th>
            <td>{summary.takeoversDone}</td>
          </tr>
          <tr>
            <th>Feedback response rate</th>
            <td>{pct(summary.feedbackResponseRate)}</td>
          </tr>
          <tr>
            <th>Links at risk at the end</th>
            <td>{summary.atRiskLinks}</td>
          </tr>
        </table>
        <LineChart id="at-risk" title="Links at risk, by week" weeks={weeks} lines={[{ label: 'At risk', values: result.weeks.map((w) => w.atRisk) }]} />
        <h2>Answers people gave</h2>
        <BarChart id="answers" title="Answers sent, by kind" bars={Object.entries(summary.answers).map(([kind, t]) => ({ label: kind, value: t.answered }))} />
        <p>
          Contact people recorded themselves: {summary.contactByReply.inTouchPresses} by pressing "We're in touch", {summary.contactByReply.repliesRecordingContact} by replying to the email
          ({pct(summary.contactByReply.share)} by reply). Replies by email: {summary.contactByReply.replies}; what became of them:{' '}
          {Object.entries(summary.replyOutcomes).map(([outcome, n]) => `${outcome} ${n}`).join(', ') || 'none'}.
        </p>
        <h2>Cost per simulated week</h2>
        <LineChart id="items" title="Items read per simulated week" weeks={weeks} lines={[{ label: 'Items read', values: result.weeks.map((w) => w.itemsRead) }]} />
        <LineChart id="requests" title="Requests to the table per simulated week" weeks={weeks} lines={[{ label: 'Requests', values: result.weeks.map((w) => w.requests) }]} />
        <LineChart id="wall" title="Wall time per simulated week (seconds)" weeks={weeks} lines={[{ label: 'Seconds', values: result.weeks.map((w) => w.wallSeconds) }]} />
        <LineChart id="emails" title="Emails per simulated week" weeks={weeks} lines={[{ label: 'Emails', values: result.weeks.map((w) => w.emails) }]} />
        <MessageList title="Emails inside quiet hours" messages={quietHourEmails(result.messages, roleOfIn(result))} />
        <MessageList title="Duplicate emails" messages={duplicateEmails(result.messages)} />
        <Contradictions found={result.contradictions} />
        {result.errors.length > 0 && (
          <>
            <h2>Errors</h2>
            <ul>
              {result.errors.slice(0, 50).map((e) => (
                <li>{e}</li>
              ))}
            </ul>
          </>
        )}
      </body>
    </html>
  );
  return `<!doctype html>${page.toString()}`;
}
