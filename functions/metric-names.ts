/**
 * The names the product's logs and metrics go out under, in one place: functions/log.ts and
 * functions/observability.ts write with them, and the alarms and the dashboard read them.
 * Plain values and no import, so the CDK app can use them without loading Powertools.
 */

/** The `service` key of every log line, and the `service` dimension of every metric. */
export const serviceName = 'parkrun-practice-nudges';

/** The CloudWatch namespace of every metric the product writes. */
export const metricsNamespace = 'ParkrunPracticeNudges';

/**
 * Each metric, a count (unit Count), with its one dimension besides `service`: its
 * dimensions in CloudWatch are exactly `service` and that one.
 *  - EmailsSent: an email the provider accepted, by `template` (`quiet-link-nudge`, `fresh-link`…);
 *  - Answers: a magic link used, by `kind` (the link's purpose: `in-touch`, `pause`, `unsubscribe`…);
 *  - Nudges: a quiet link's step up the ladder, by `rung` (`1`, `2`: nudges to the champion; `3`: at risk).
 */
export const telemetryMetrics = {
  emailsSent: { name: 'EmailsSent', dimension: 'template' },
  answers: { name: 'Answers', dimension: 'kind' },
  nudges: { name: 'Nudges', dimension: 'rung' },
} as const;
