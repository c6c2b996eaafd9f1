/**
 * What every Lambda entry wears: Powertools' Logger middleware (the request id, the
 * function and whether this is a cold start on every log line) and its Metrics, written
 * as EMF and flushed when the invocation ends. The local runtime and the tests call the
 * same handlers without it, and count nothing: storeDepsFromConfig, which only the Lambda
 * entries call, is what hands the use cases the real Telemetry.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { MiddlewareObj, MiddyfiedHandler } from '@middy/core';
import { PowertoolsTelemetry } from './adapters/powertools-telemetry.js';
import { logger } from './log.js';
import { metricsNamespace, serviceName } from './metric-names.js';

/** POWERTOOLS_METRICS_DISABLED=true turns the metrics off (Powertools reads it). Its own warnings go through the logger, as JSON. */
export const metrics = new Metrics({ namespace: metricsNamespace, serviceName, logger });

/** The one Telemetry of a Lambda: its counts go into `metrics`, which the middleware below flushes. */
export const telemetry = new PowertoolsTelemetry(metrics);

/**
 * Powertools' logMetrics, except that an invocation which counted nothing (most API
 * requests, most stream batches) writes nothing: logMetrics alone warns on every such
 * invocation that it has no metrics to publish.
 */
export function flushMetrics(target: Metrics): MiddlewareObj {
  const powertools = logMetrics(target);
  const flush = async (request: Parameters<NonNullable<MiddlewareObj['after']>>[0]) => {
    if (target.hasStoredMetrics()) await powertools.after?.(request);
  };
  return { before: powertools.before, after: flush, onError: flush } as MiddlewareObj;
}

/**
 * A Lambda handler with the logger's context and the metrics' flush. The keys a handler
 * appends to the logger (a stream record's id) are cleared after each invocation.
 */
export function observed<H extends MiddyfiedHandler<any, any, any, any>>(handler: H): H {
  return handler.use(injectLambdaContext(logger, { resetKeys: true })).use(flushMetrics(metrics)) as H;
}
