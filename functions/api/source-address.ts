/**
 * The address a request came from, for the limits on what a stranger can make us send:
 * API Gateway's `sourceIp` in AWS (hono's Lambda adapter hands over the event), the socket's
 * own address locally (@hono/node-server hands over the request). Never a header the caller
 * sets, such as X-Forwarded-For. Undefined only for a request made in-process (a test).
 */
import type { Context } from 'hono';

interface Bindings {
  /** REST API (payload 1.0): identity.sourceIp; HTTP API (payload 2.0): http.sourceIp. */
  event?: { requestContext?: { identity?: { sourceIp?: string }; http?: { sourceIp?: string } } };
  incoming?: { socket?: { remoteAddress?: string } };
}

export function sourceAddressOf(c: Context): string | undefined {
  const env = c.env as Bindings | undefined;
  const context = env?.event?.requestContext;
  return context?.identity?.sourceIp ?? context?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress ?? undefined;
}
