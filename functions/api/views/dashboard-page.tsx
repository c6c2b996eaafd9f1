/** The head-office dashboard: the figures for the whole country or one scope, each with its chart and its numbers. */
import { activities, activityStatuses, contactMethodNames, type ActivityKey, type ActivityStatus, type LinkStatus } from '../../core/model.js';
import type { Scope } from '../../core/policies/metric-deltas.js';
import { linkStatuses } from '../../core/policies/dashboard-figures.js';
import type { Dashboard } from '../../core/use-cases/head-office-metrics.js';
import { BarChart, LineChart } from './charts.js';
import { HeadOfficeLayout } from './head-office-layout.js';

export const statusNames: Record<LinkStatus, string> = {
  registered: 'Registered',
  introduced: 'Introduced',
  active: 'Active',
  quiet: 'Quiet',
  'at-risk': 'At risk',
  'contact-lost': 'Contact lost',
  ended: 'Ended',
};

const pct = (share?: number) => (share === undefined ? 'no links yet' : `${(share * 100).toFixed(1)}%`);

export function scopeName(scope: Scope): string {
  if (scope === 'ALL') return 'the whole country';
  const [kind, name] = scope.split('#') as [string, string];
  return kind === 'EVENT' ? `${name} (event)` : name;
}

/** `scope` as the filter's value: `country:Wales`, `region:London`, `event:bushy`. */
export const scopeParam = (scope: Scope) => (scope === 'ALL' ? 'ALL' : `${scope.slice(0, scope.indexOf('#')).toLowerCase()}:${scope.slice(scope.indexOf('#') + 1)}`);

const answerNames: Record<string, string> = { 'in-touch': "We're in touch", pause: 'Paused reminders', ...Object.fromEntries(Object.entries(contactMethodNames).map(([k, v]) => [k, `In touch: ${v.toLowerCase()}`])) };

export function DashboardPage(props: { dashboard: Dashboard; email: string }) {
  const { figures: f, scope } = props.dashboard;
  const q = `scope=${encodeURIComponent(scopeParam(scope))}`;
  const weeks = f.series.map((p) => p.week);
  return (
    <HeadOfficeLayout title="Dashboard" email={props.email}>
      <h1>Practice links across {scopeName(scope)}</h1>
      <form method="get" action="/head-office" class="filters">
        <div class="field">
          <label for="f-scope">Show</label>
          <select id="f-scope" name="scope">
            <option value="ALL" selected={scope === 'ALL'}>
              The whole country
            </option>
            <optgroup label="Countries">
              {props.dashboard.countries.map((c) => (
                <option value={`country:${c}`} selected={scope === `COUNTRY#${c}`}>
                  {c}
                </option>
              ))}
            </optgroup>
            <optgroup label="Regions">
              {props.dashboard.regions.map((r) => (
                <option value={`region:${r}`} selected={scope === `REGION#${r}`}>
                  {r}
                </option>
              ))}
            </optgroup>
            {props.dashboard.events.length > 0 && (
              <optgroup label={`Events in ${scopeName(scope)}`}>
                {props.dashboard.events.map((e) => (
                  <option value={`event:${e}`} selected={scope === `EVENT#${e}`}>
                    {e}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </div>
        <button type="submit">Show</button>
      </form>

      <section class="tiles" aria-label="Headline figures">
        <div class="tile">
          <h2>Live links</h2>
          <p class="figure">{f.links}</p>
          <p>
            <a href={`/head-office/links?status=active&${q}`}>{f.byStatus.active} active</a>, <a href={`/head-office/links?status=quiet&${q}`}>{f.byStatus.quiet} quiet</a>
          </p>
        </div>
        <div class="tile">
          <h2>Contact in the last 90 days</h2>
          <p class="figure">{pct(f.contactShare90)}</p>
          <p>Survey baseline: {pct(f.baseline)} of linked events keep in touch</p>
        </div>
        <div class="tile">
          <h2>At risk</h2>
          <p class="figure">{f.byStatus['at-risk']}</p>
          <p>
            <a href={`/head-office/links?status=at-risk&${q}`}>See the links at risk</a>
          </p>
        </div>
        <div class="tile">
          <h2>Events with no linked practice</h2>
          <p class="figure">{f.eventsWithoutLinks}</p>
          <p>
            of {f.events} events: <a href={`/head-office/events?list=without-links&${q}`}>see which</a>
          </p>
        </div>
        <div class="tile">
          <h2>Events with no named director</h2>
          <p class="figure">{f.eventsWithoutDirectors}</p>
          <p>
            mailed at their team address: <a href={`/head-office/events?list=without-directors&${q}`}>see which</a>
            {f.eventsLeftFeed > 0 && (
              <>
                ; <a href={`/head-office/events?list=left-feed&${q}`}>{f.eventsLeftFeed} no longer in parkrun's feed</a>
              </>
            )}
          </p>
        </div>
        <div class="tile">
          <h2>Registrations, last 52 weeks</h2>
          <p class="figure">{f.registrations}</p>
          <p>
            confirmed; <a href="/head-office/registrations">see those waiting for confirmation</a>
          </p>
        </div>
      </section>

      <div class="panels">
        {/* Each panel may scroll sideways on a narrow screen (standards mode, since pages have a doctype): focusable, so a keyboard can scroll it. */}
        <section class="panel" tabindex={0} aria-labelledby="status-title">
          <h2 id="status-title">Links by status</h2>
          <BarChart id="status-chart" title={`Links by status, ${scopeName(scope)}`} bars={linkStatuses.map((s) => ({ label: statusNames[s], value: f.byStatus[s] }))} />
          <table>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col" class="n">
                  Links
                </th>
              </tr>
            </thead>
            <tbody>
              {linkStatuses.map((s) => (
                <tr>
                  <td>
                    <a href={`/head-office/links?status=${s}&${q}`}>{statusNames[s]}</a>
                  </td>
                  <td class="n">{f.byStatus[s]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        <section class="panel" tabindex={0} aria-labelledby="share-title">
          <h2 id="share-title">Contact in the last 90 days, week by week</h2>
          <LineChart
            id="share-chart"
            title="Share of links with contact in the last 90 days, against the survey's 39.6%"
            weeks={weeks}
            percent
            lines={[
              { label: 'Links with contact in 90 days', values: f.series.map((p) => p.contactShare90) },
              { label: 'Survey baseline, 39.6%', values: weeks.map(() => f.baseline), dashed: true },
            ]}
          />
        </section>

        <section class="panel" tabindex={0} aria-labelledby="weekly-title">
          <h2 id="weekly-title">Week by week</h2>
          <LineChart
            id="weekly-chart"
            title="Registrations, nudges, answers and recorded contacts per week"
            weeks={weeks}
            lines={[
              { label: 'Registrations', values: f.series.map((p) => p.registrations) },
              { label: 'Nudges sent', values: f.series.map((p) => p.nudges) },
              { label: 'Answers to nudges', values: f.series.map((p) => p.answers) },
              { label: 'Contacts recorded', values: f.series.map((p) => p.contacts) },
            ]}
          />
          <p>
            <a href={`/head-office/series.csv?${q}`}>Download the 52 weeks as CSV</a>
          </p>
        </section>

        <section class="panel" tabindex={0} aria-labelledby="nudges-title">
          <h2 id="nudges-title">Nudges and answers, last 52 weeks</h2>
          <table>
            <tbody>
              <tr>
                <th scope="row">First nudges sent</th>
                <td class="n">{f.nudges.first}</td>
              </tr>
              <tr>
                <th scope="row">Second nudges (and digests)</th>
                <td class="n">{f.nudges.second}</td>
              </tr>
              <tr>
                <th scope="row">Marked at risk</th>
                <td class="n">{f.nudges.atRisk}</td>
              </tr>
              <tr>
                <th scope="row">Answered after the first nudge</th>
                <td class="n">{f.answered.first}</td>
              </tr>
              <tr>
                <th scope="row">Answered after the second</th>
                <td class="n">{f.answered.second}</td>
              </tr>
              <tr>
                <th scope="row">Share of nudges answered</th>
                <td class="n">{f.answered.share === undefined ? 'none sent' : pct(f.answered.share)}</td>
              </tr>
              <tr>
                <th scope="row">Median time to an answer</th>
                <td class="n">{f.answered.medianDays ?? 'no answers yet'}</td>
              </tr>
            </tbody>
          </table>
          <h3>What the answers were</h3>
          <table>
            <tbody>
              {Object.entries(f.answers).length === 0 ? (
                <tr>
                  <td>No answers yet</td>
                </tr>
              ) : (
                Object.entries(f.answers).map(([kind, n]) => (
                  <tr>
                    <th scope="row">{answerNames[kind] ?? kind}</th>
                    <td class="n">{n}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </section>

        <section class="panel" tabindex={0} aria-labelledby="activities-title">
          <h2 id="activities-title">Activities (the survey's Table 3)</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Activity</th>
                {Object.values(activityStatuses).map((label) => (
                  <th scope="col" class="n">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(Object.entries(activities) as Array<[ActivityKey, string]>).map(([key, label]) => (
                <tr>
                  <th scope="row">{label}</th>
                  {(Object.keys(activityStatuses) as ActivityStatus[]).map((s) => (
                    <td class="n">{f.activities[key][s]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Takeovers, last 52 weeks</h3>
          <p>
            {f.takeovers.offered} offered, {f.takeovers.planned} fixed, {f.takeovers.done} done; {f.takeovers.fixedNow} fixed and still to come.
          </p>
        </section>

        <section class="panel" tabindex={0} aria-labelledby="feedback-title">
          <h2 id="feedback-title">Attendance feedback, last 52 weeks</h2>
          <table>
            <tbody>
              <tr>
                <th scope="row">Asks sent</th>
                <td class="n">{f.feedback.asks}</td>
              </tr>
              <tr>
                <th scope="row">Answers</th>
                <td class="n">{f.feedback.reports}</td>
              </tr>
              <tr>
                <th scope="row">Response rate</th>
                <td class="n">{f.feedback.responseRate === undefined ? 'no asks yet' : pct(f.feedback.responseRate)}</td>
              </tr>
              <tr>
                <th scope="row">Patients signposted to parkrun</th>
                <td class="n">{f.feedback.suggested}</td>
              </tr>
              <tr>
                <th scope="row">Known to have come</th>
                <td class="n">{f.feedback.attended}</td>
              </tr>
              <tr>
                <th scope="row">Answers where staff took part</th>
                <td class="n">{f.feedback.staffTookPart}</td>
              </tr>
            </tbody>
          </table>
          <h3>Deliverability (whole country, to date)</h3>
          <p>
            {f.deliverability.bounces} bounced for good, {f.deliverability.complaints} complaints, {f.deliverability.suppressed} addresses no longer mailed.
          </p>
        </section>
      </div>
    </HeadOfficeLayout>
  );
}
