import { Hono } from 'hono';
import type { StoreDeps } from '../../wiring.js';
import { log } from '../../log.js';

export function healthRoutes(deps: Pick<StoreDeps, 'ping' | 'clock'>) {
  return new Hono().get('/', async (c) => {
    try {
      await deps.ping();
      return c.json({ status: 'ok', table: 'reachable', time: deps.clock.now().toISOString() });
    } catch (error) {
      log.error('Health check: table unreachable', error);
      return c.json({ status: 'unavailable', table: 'unreachable' }, 503);
    }
  });
}
