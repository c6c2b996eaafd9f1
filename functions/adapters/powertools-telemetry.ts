/**
 * Telemetry as CloudWatch metrics in the embedded metric format (EMF), written with
 * Powertools for AWS Lambda's Metrics: each count is a log line CloudWatch turns into a
 * metric, so no API call is made and no permission needed. The names and dimensions are
 * functions/metric-names.ts's; `service` comes with every metric as the instance's default dimension.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Telemetry } from '../core/ports.js';
import { telemetryMetrics } from '../metric-names.js';

type Counted = (typeof telemetryMetrics)[keyof typeof telemetryMetrics];

/**
 * One EMF document holds one set of dimensions for all its metrics, so counts are kept
 * in the Metrics instance while they share theirs (same metric, same value of its
 * dimension), and a count of another kind first writes out what is kept. The logMetrics
 * middleware writes the last of them when the invocation ends.
 */
export class PowertoolsTelemetry implements Telemetry {
  #kept: string | undefined;

  constructor(private readonly metrics: Metrics) {}

  emailSent(template: string): void {
    this.count(telemetryMetrics.emailsSent, template);
  }

  answerRecorded(purpose: string): void {
    this.count(telemetryMetrics.answers, purpose);
  }

  nudged(rung: number): void {
    this.count(telemetryMetrics.nudges, String(rung));
  }

  private count(metric: Counted, value: string): void {
    try {
      const kind = `${metric.name}\n${value}`;
      if (this.#kept !== kind && this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
      this.#kept = kind;
      // Also after a flush (the middleware's, or Powertools' own at 100 values), which clears the dimensions.
      if (!this.metrics.hasStoredMetrics()) this.metrics.addDimension(metric.dimension, value);
      this.metrics.addMetric(metric.name, MetricUnit.Count, 1);
    } catch {
      // A count is never worth failing the work it counts (Metrics throws only on invalid input).
    }
  }
}
