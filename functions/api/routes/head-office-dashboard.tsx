/** /head-office and /head-office/series.csv: the dashboard for a scope, and its 52 weeks as CSV. Behind the session guard. */
import { Hono, type Context } from 'hono';
import { ValidationError } from '../../core/errors.js';
import type { Scope } from '../../core/policies/metric-deltas.js';
import { loadDashboard, type MetricsDeps } from '../../core/use-cases/head-office-metrics.js';
import { csvResponse } from '../csv.js';
import type { HeadOfficeEnv } from '../head-office-guard.js';
import { DashboardPage } from '../views/dashboard-page.js';

/** `?scope=ALL|country:<name>|region:<name>|event:<short name>`; anything else is a clear 400. */
export function scopeFrom(c: Context): Scope {
  const raw = (c.req.query('scope') ?? 'ALL').trim();
  if (raw === '' || raw === 'ALL') return 'ALL';
  const match = /^(country|region|event):(.{1,80})$/.exec(raw);
  if (!match || /[\u0000-\u001f#]/.test(match[2]!)) throw new ValidationError({ scope: 'Choose the whole country, a country, a region or an event from the list' });
  return `${match[1]!.toUpperCase()}#${match[2]}` as Scope;
}

/** A scope nobody has figures for is more likely a typo than an empty region: say so. */
async function dashboardFor(deps: MetricsDeps, scope: Scope) {
  const dashboard = await loadDashboard(deps, scope);
  const [kind, name] = scope === 'ALL' ? ['ALL', ''] : [scope.slice(0, scope.indexOf('#')), scope.slice(scope.indexOf('#') + 1)];
  const known = kind === 'ALL' || (kind === 'COUNTRY' && dashboard.countries.includes(name)) || (kind === 'REGION' && dashboard.regions.includes(name)) || (kind === 'EVENT' && dashboard.figures.events > 0);
  if (!known) throw new ValidationError({ scope: `We have no figures for ${name}: choose from the list` });
  return dashboard;
}

export function headOfficeDashboardRoutes(deps: MetricsDeps) {
  return new Hono<HeadOfficeEnv>()
    .get('/', async (c) => c.html(<DashboardPage dashboard={await dashboardFor(deps, scopeFrom(c))} email={c.get('session').email} />))
    .get('/series.csv', async (c) => {
      const scope = scopeFrom(c);
      const { figures } = await dashboardFor(deps, scope);
      return csvResponse(
        c,
        `weekly-series-${scope.replace('#', '-').toLowerCase()}.csv`,
        ['week_starting', 'registrations', 'nudges_sent', 'answers', 'contacts_recorded', 'feedback_answers', 'links_active', 'links_quiet', 'links_at_risk', 'contact_share_90d'],
        figures.series.map((p) => [p.week, p.registrations, p.nudges, p.answers, p.contacts, p.feedbackReports, p.active, p.quiet, p.atRisk, p.contactShare90 === undefined ? undefined : Number(p.contactShare90.toFixed(4))]),
      );
    });
}
