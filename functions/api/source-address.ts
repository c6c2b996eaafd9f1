/**
 * The address a request came from, for the limits on what a stranger can make us send:
 * API Gateway's `sourceIp` in AWS (hono's Lambda adapter hands over the event), the socket's
 * own address locally (@hono/node-server hands over the request). Never a header the caller
 * sets, such as X-Forwarded-For. Undefined only for a request made in-process (a test).
 */
import type { Context } from 'hono';

interface Bindings {
  event?: { requestContext?: { http?: { sourceIp?: string } } };
  incoming?: { socket?: { remoteAddress?: string } };
}

export function sourceAddressOf(c: Context): string | undefined {
  const env = c.env as Bindings | undefined;
  return env?.event?.requestContext?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress ?? undefined;
}
