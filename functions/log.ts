/** Structured one-line JSON logs, which CloudWatch Logs Insights can query by field. */
type Level = 'debug' | 'info' | 'warn' | 'error';

function errorFields(error: unknown) {
  return error instanceof Error ? { errorName: error.name, errorMessage: error.message, stack: error.stack } : { error: String(error) };
}

function write(level: Level, message: string, fields: Record<string, unknown> = {}) {
  if (process.env.LOG_LEVEL === 'silent') return;
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields });
  (level === 'error' || level === 'warn' ? console.error : console.log)(line);
}

export const log = {
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, error: unknown, fields?: Record<string, unknown>) => write('error', message, { ...fields, ...errorFields(error) }),
};

/**
 * A request path fit for logs: magic-link tokens (and anything else long and random) in
 * it are replaced, so a log line never holds a link that works.
 */
export function redactPath(path: string): string {
  return path.replace(/\/[A-Za-z0-9_-]{24,}(?=\/|$)/g, '/[redacted]');
}
