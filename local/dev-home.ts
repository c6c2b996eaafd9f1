/**
 * The local home page: the local clock and the controls to move it (by days or hours, or
 * to just past the next run of a job, so a walkthrough works whatever date it starts on),
 * the links and where each stands on the quiet-link ladder, and the way to everything
 * else. Local only.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { MovableClock } from '../functions/adapters/clock.js';
import { formatDayOf } from '../functions/core/policies/event-dates.js';
import { nextAskAt } from '../functions/core/policies/feedback-calendar.js';
import type { Link } from '../functions/core/model.js';
import { heldMailSchedule, quietLinkSweepSchedule, takeoverPromptSchedule } from '../functions/jobs/schedules.js';
import type { StoreDeps } from '../functions/wiring.js';
import type { LocalScheduler } from './scheduler.js';

export interface DevHomeDeps {
  store: StoreDeps;
  clock: MovableClock;
  scheduler: LocalScheduler;
  drain(): Promise<void>;
}

const hour = 3_600_000;
const day = 24 * hour;

/** The moments the clock can be run to: each a scheduled run, reached a minute past it. */
export const moments = {
  sweep: { label: 'quiet-link sweep', at: (d: DevHomeDeps) => d.scheduler.nextRun(quietLinkSweepSchedule.name) },
  prompts: { label: "Monday's takeover prompts", at: (d: DevHomeDeps) => d.scheduler.nextRun(takeoverPromptSchedule.name) },
  asks: { label: "first Tuesday's feedback asks", at: (d: DevHomeDeps) => nextAskAt(d.clock.now()) },
  notices: { label: 'reminder (Thursday newcomer notices, takeover countdowns)', at: (d: DevHomeDeps) => d.scheduler.nextRun('reminders') },
  'held-mail': { label: 'held-mail run', at: (d: DevHomeDeps) => d.scheduler.nextRun(heldMailSchedule.name) },
} as const;
export type Moment = keyof typeof moments;
const isMoment = (value: unknown): value is Moment => typeof value === 'string' && Object.hasOwn(moments, value);

/** "Tuesday 1 December 2026, 10:00": local pages show the year, and the time where it matters. */
const whenText = (instant: Date) =>
  `${formatDayOf(instant, 'Europe/London')} ${instant.toLocaleDateString('en-GB', { year: 'numeric', timeZone: 'Europe/London' })}, ${instant.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })}`;
const dayText = (iso?: string) => (iso ? `${formatDayOf(new Date(iso), 'Europe/London')} ${new Date(iso).toLocaleDateString('en-GB', { year: 'numeric', timeZone: 'Europe/London' })}` : '');

/** The body of an advance: days, hours or both, together more than nothing and at most ten years. */
function advanceMs(body: Record<string, unknown>): number | undefined {
  const part = (v: unknown) => (v === undefined || v === '' ? 0 : Number(v));
  const days = part(body.days);
  const hours = part(body.hours);
  if (!Number.isFinite(days) || !Number.isFinite(hours) || days < 0 || hours < 0) return undefined;
  const ms = days * day + hours * hour;
  return ms > 0 && ms <= 3650 * day ? ms : undefined;
}

export function devHomeRoutes(deps: DevHomeDeps) {
  const advance = async (ms: number) => {
    const runs = await deps.scheduler.advance(ms);
    await deps.drain();
    return runs;
  };
  const readBody = async (c: { req: { header(name: string): string | undefined; json(): Promise<unknown>; parseBody(): Promise<Record<string, unknown>> } }) => {
    const json = c.req.header('content-type')?.includes('application/json') ?? false;
    return { json, body: json ? ((await c.req.json()) as Record<string, unknown>) : await c.req.parseBody() };
  };
  return new Hono()
    .get('/', async (c) => {
      const now = deps.clock.now();
      const events = await deps.store.events.listEvents();
      const rows: Array<{ event: string; link: Link }> = [];
      for (const event of events) for (const link of await deps.store.partnerships.linksOfEvent(event.shortName)) rows.push({ event: event.name, link });
      const practices = await deps.store.partnerships.getPractices([...new Set(rows.map((r) => r.link.practiceCode))]);
      const next = (Object.keys(moments) as Moment[]).map((key) => ({ key, label: moments[key].label, at: moments[key].at(deps) }));
      return c.html(html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>parkrun practice nudges (local)</title>
<style>
body{font-family:system-ui,Arial,sans-serif;margin:0;background:#f4f4f6;color:#1d1d1f}
header{background:#2b233d;color:#fff;padding:.75rem 1rem}
header h1{font-size:1.2rem;margin:0}
main{max-width:70rem;margin:0 auto;padding:1rem}
nav a{margin-right:1rem;display:inline-block}
form{display:inline-block;margin:.25rem .5rem .25rem 0}
button{font:inherit;padding:.4rem .8rem;border-radius:4px;border:2px solid #2b233d;background:#fff;cursor:pointer}
button:disabled{border-color:#aaa;color:#666;cursor:default}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}
th,td{border:1px solid #dddde3;padding:.3rem .5rem;text-align:left}
.at-risk{background:#fde8ea}.quiet{background:#fff6e0}.contact-lost{background:#eee}
.legend span{display:inline-block;padding:.1rem .5rem;margin-right:.5rem;border:1px solid #dddde3}
</style></head><body>
<header><h1>parkrun practice nudges, running locally</h1></header>
<main>
<nav><a href="/register">Register a practice</a><a href="/dev/mail">Mailbox</a><a href="/head-office">Head office (sign in as headoffice@parkrun.example)</a><a href="/health">Health</a></nav>
<h2>Local clock: ${whenText(now)} (UK time)</h2>
<p>Moving the clock forward runs every scheduled job at each time it would have run: the quiet-link sweep on the hour, 08:00 to 17:00 UK time, Monday to Friday; takeover prompts on Mondays at 10:00; feedback on Tuesdays at 10:00; held mail on the hour, Monday to Saturday; and each one-time reminder at its time. Practices are emailed only in working hours, so a nudge that falls due at a weekend goes out on Monday morning.</p>
<h3>Run to the next…</h3>
${next.map(
  (m) =>
    html`<form method="post" action="/dev/clock/run-to"><input type="hidden" name="to" value="${m.key}"><button type="submit"${m.at ? '' : ' disabled'}>${m.label}${m.at ? `: ${whenText(m.at)}` : ' (none scheduled)'}</button></form>`,
)}
<h3>Or move it on</h3>
<form method="post" action="/dev/clock/advance"><input type="hidden" name="hours" value="1"><button type="submit">Advance an hour</button></form>
${[1, 7, 14, 43].map(
  (d) => html`<form method="post" action="/dev/clock/advance"><input type="hidden" name="days" value="${d}"><button type="submit">Advance ${d} day${d > 1 ? 's' : ''}</button></form>`,
)}
<form method="post" action="/dev/sweep"><button type="submit">Run the sweep now</button></form>
<h2>Links (${rows.length})</h2>
<p class="legend">Row colours: <span class="quiet">quiet: no contact for 42 days</span><span class="at-risk">at risk: no answer to the nudges</span><span class="contact-lost">contact lost: the champion's email bounced</span></p>
<div class="scroll"><table><thead><tr><th>Event</th><th>Practice</th><th>Status</th><th>Last contact</th><th>Ladder rung</th><th>Next check</th><th>Paused until</th></tr></thead><tbody>
${rows.map(
  ({ event, link }) =>
    html`<tr class="${link.status}"><td>${event}</td><td>${practices.get(link.practiceCode)?.name ?? ''} (${link.practiceCode})</td><td>${link.status}</td><td>${dayText(link.lastContactAt)}</td><td>${link.ladder?.rung ?? 0}</td><td>${dayText(link.dueAt)}</td><td>${dayText(link.pausedUntil)}</td></tr>`,
)}
</tbody></table></div>
</main></body></html>`);
    })
    .get('/dev/clock', (c) => c.json({ now: deps.clock.now().toISOString() }))
    .post('/dev/clock/advance', async (c) => {
      const { json, body } = await readBody(c);
      const ms = advanceMs(body);
      if (ms === undefined) return c.json({ error: 'days and hours must be numbers from 0, together more than nothing and at most 3650 days' }, 400);
      const runs = await advance(ms);
      return json ? c.json({ now: deps.clock.now().toISOString(), runs }) : c.redirect('/', 303);
    })
    .post('/dev/clock/run-to', async (c) => {
      const { json, body } = await readBody(c);
      if (!isMoment(body.to)) return c.json({ error: `to must be one of ${Object.keys(moments).join(', ')}` }, 400);
      const at = moments[body.to].at(deps);
      if (!at) return c.json({ error: `No ${moments[body.to].label} is scheduled` }, 409);
      // A minute past it: the run has happened, and whatever it set off has drained.
      const runs = await advance(at.getTime() + 60_000 - deps.clock.now().getTime());
      return json ? c.json({ now: deps.clock.now().toISOString(), ran: at.toISOString(), runs }) : c.redirect('/', 303);
    })
    .post('/dev/sweep', async (c) => {
      const report = await deps.scheduler.runNow('quiet-link-sweep');
      await deps.drain();
      return c.req.header('accept')?.includes('application/json') ? c.json({ report }) : c.redirect('/', 303);
    });
}
