/**
 * The one logger: Powertools for AWS Lambda's Logger, one JSON line per entry, which
 * CloudWatch Logs Insights can query by field. Every Lambda entry wears its middy
 * middleware (functions/observability.ts), which adds the request id and cold start to
 * each line. A warning comes out as level WARN: the hand-written logger before it wrote
 * warnings with console.error, which Lambda's JSON log format recorded as ERROR.
 */
import { Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { serviceName } from './metric-names.js';

type Level = keyof typeof LogLevelThreshold;

/**
 * POWERTOOLS_LOG_LEVEL or LOG_LEVEL, in any case (Powertools itself takes only upper case
 * from the environment); `silent` turns logging off, as the tests and the simulation do.
 * In Lambda the function's own log level (Advanced Logging Controls) governs instead.
 */
function levelFromEnv(): Level {
  const wanted = (process.env.POWERTOOLS_LOG_LEVEL || process.env.LOG_LEVEL || 'INFO').toUpperCase();
  return wanted in LogLevelThreshold ? (wanted as Level) : 'INFO';
}

export const logger = new Logger({ serviceName, logLevel: levelFromEnv() });

/**
 * The logger, at the level the environment asks for now: scripts set LOG_LEVEL in their
 * body, which runs after their imports (this module among them) have been evaluated.
 */
function current(): Logger {
  const wanted = levelFromEnv();
  if (logger.getLevelName() !== wanted) logger.setLogLevel(wanted);
  return logger;
}

/** The calls the code makes: a message and fields; an error's name, message and stack go under `error`. */
export const log = {
  info: (message: string, fields?: Record<string, unknown>) => current().info(message, { ...fields }),
  warn: (message: string, fields?: Record<string, unknown>) => current().warn(message, { ...fields }),
  error: (message: string, error: unknown, fields?: Record<string, unknown>) =>
    current().error(message, { ...fields, error: error instanceof Error ? error : String(error) }),
};

/**
 * A request path fit for logs: magic-link tokens (and anything else long and random) in
 * it are replaced, so a log line never holds a link that works.
 */
export function redactPath(path: string): string {
  return path.replace(/\/[A-Za-z0-9_-]{24,}(?=\/|$)/g, '/[redacted]');
}
