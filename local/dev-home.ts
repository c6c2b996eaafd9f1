/**
 * The local home page: the local clock and a control to move it, the links and where
 * each stands on the quiet-link ladder, and the way to everything else. Local only.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { MovableClock } from '../functions/adapters/clock.js';
import { formatDayOf } from '../functions/core/policies/event-dates.js';
import type { Link } from '../functions/core/model.js';
import type { StoreDeps } from '../functions/wiring.js';
import type { LocalScheduler } from './scheduler.js';

export interface DevHomeDeps {
  store: StoreDeps;
  clock: MovableClock;
  scheduler: LocalScheduler;
  drain(): Promise<void>;
}

const day = 86_400_000;

export function devHomeRoutes(deps: DevHomeDeps) {
  const advance = async (days: number) => {
    const runs = await deps.scheduler.advance(days * day);
    await deps.drain();
    return runs;
  };
  return new Hono()
    .get('/', async (c) => {
      const now = deps.clock.now();
      const events = await deps.store.events.listEvents();
      const rows: Array<{ event: string; link: Link }> = [];
      for (const event of events) for (const link of await deps.store.partnerships.linksOfEvent(event.shortName)) rows.push({ event: event.name, link });
      const when = (iso?: string) => (iso ? formatDayOf(new Date(iso), 'Europe/London') : '');
      return c.html(html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>parkrun practice nudges (local)</title>
<style>
body{font-family:system-ui,Arial,sans-serif;margin:0;background:#f4f4f6;color:#1d1d1f}
header{background:#2b233d;color:#fff;padding:.75rem 1rem}
header h1{font-size:1.2rem;margin:0}
main{max-width:70rem;margin:0 auto;padding:1rem}
nav a{margin-right:1rem}
form{display:inline-block;margin:.25rem .5rem .25rem 0}
button{font:inherit;padding:.4rem .8rem;border-radius:4px;border:2px solid #2b233d;background:#fff;cursor:pointer}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}
th,td{border:1px solid #dddde3;padding:.3rem .5rem;text-align:left}
.at-risk{background:#fde8ea}.quiet{background:#fff6e0}.contact-lost{background:#eee}
</style></head><body>
<header><h1>parkrun practice nudges, running locally</h1></header>
<main>
<nav><a href="/register">Register a practice</a><a href="/dev/mail">Mailbox</a><a href="/head-office">Head office (sign in as headoffice@parkrun.example)</a><a href="/health">Health</a></nav>
<h2>Local clock: ${now.toISOString()} (${formatDayOf(now, 'Europe/London')})</h2>
<p>Moving the clock forward runs the quiet-link sweep at each time its schedule would have (on the hour, 08:00 to 17:00 UK time, Monday to Friday). Practices are emailed only in working hours, so a nudge that falls due at a weekend goes out on Monday morning.</p>
${[1, 7, 14, 43].map(
  (d) => html`<form method="post" action="/dev/clock/advance"><input type="hidden" name="days" value="${d}"><button type="submit">Advance ${d} day${d > 1 ? 's' : ''}</button></form>`,
)}
<form method="post" action="/dev/sweep"><button type="submit">Run the sweep now</button></form>
<h2>Links (${rows.length})</h2>
<table><thead><tr><th>Event</th><th>Practice</th><th>Status</th><th>Last contact</th><th>Ladder rung</th><th>Next check</th><th>Paused until</th></tr></thead><tbody>
${rows.map(
  ({ event, link }) => html`<tr class="${link.status}"><td>${event}</td><td>${link.practiceCode}</td><td>${link.status}</td><td>${when(link.lastContactAt)}</td><td>${link.ladder?.rung ?? 0}</td><td>${when(link.dueAt)}</td><td>${when(link.pausedUntil)}</td></tr>`,
)}
</tbody></table>
</main></body></html>`);
    })
    .get('/dev/clock', (c) => c.json({ now: deps.clock.now().toISOString() }))
    .post('/dev/clock/advance', async (c) => {
      const json = c.req.header('content-type')?.includes('application/json');
      const body = json ? ((await c.req.json()) as Record<string, unknown>) : await c.req.parseBody();
      const days = Number(body.days);
      if (!Number.isFinite(days) || days <= 0 || days > 3650) return c.json({ error: 'days must be a number from 0 to 3650' }, 400);
      const runs = await advance(days);
      return json ? c.json({ now: deps.clock.now().toISOString(), runs }) : c.redirect('/', 303);
    })
    .post('/dev/sweep', async (c) => {
      const report = await deps.scheduler.runNow('quiet-link-sweep');
      await deps.drain();
      return c.req.header('accept')?.includes('application/json') ? c.json({ report }) : c.redirect('/', 303);
    });
}
