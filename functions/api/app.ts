/**
 * The HTTP API: one sub-app per resource, mounted here. Dependencies come in as ports,
 * so the Lambda, the local runtime and the tests build the same app over different
 * adapters.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { BodyTooLargeError } from '../core/errors.js';
import type { ApiDeps } from '../wiring.js';
import { basePath } from './base-path.js';
import { handleError } from './error-handler.js';
import { assetRoutes } from './routes/assets.js';
import { headOfficeRoutes } from './routes/head-office.js';
import { healthRoutes } from './routes/health.js';
import { registerPageRoutes } from './routes/register-page.js';
import { freshLinkRoutes } from './routes/fresh-links.js';
import { firstTimerLinkRoutes } from './routes/first-timer-links.js';
import { firstTimerRoutes } from './routes/first-timers.js';
import { handoverLinkRoutes } from './routes/handover-links.js';
import { linkRoutes } from './routes/links.js';
import { partnershipLinkRoutes } from './routes/partnership-links.js';
import { preferenceRoutes } from './routes/preferences.js';
import { registrationRoutes } from './routes/registrations.js';
import { registrationLinkRoutes } from './routes/registration-links.js';
import { unsubscribeRoutes } from './routes/unsubscribe.js';
import { crossSiteGuard, pageSecurityHeaders, privateResponses } from './security.js';

/**
 * The largest body any route takes: a registration or a form is a few kilobytes, so
 * anything near this is not a person filling in a form, and is refused before it is read.
 */
export const maxBodyBytes = 64 * 1024;

export function createApp(deps: ApiDeps) {
  return new Hono()
    .use(basePath)
    .use(pageSecurityHeaders)
    .use(privateResponses)
    .use(crossSiteGuard)
    .use(
      bodyLimit({
        maxSize: maxBodyBytes,
        onError: () => {
          throw new BodyTooLargeError(`This request is too large: we take at most ${maxBodyBytes / 1024} KB, and a form or a registration is far smaller. Nothing was saved.`);
        },
      }),
    )
    .route('/health', healthRoutes(deps))
    .route('/api/registrations', registrationRoutes(deps))
    .route('/register', registerPageRoutes(deps))
    .route('/registrations', registrationLinkRoutes(deps))
    .route('/handovers', handoverLinkRoutes(deps))
    .route('/links', firstTimerLinkRoutes(deps))
    .route('/links', partnershipLinkRoutes(deps))
    .route('/links', linkRoutes(deps))
    .route('/first-timers', firstTimerRoutes(deps))
    .route('/head-office', headOfficeRoutes(deps))
    .route('/fresh-links', freshLinkRoutes(deps))
    .route('/preferences', preferenceRoutes(deps))
    .route('/unsubscribe', unsubscribeRoutes(deps))
    .route('/assets', assetRoutes())
    .get('/', (c) => c.redirect('/register'))
    .get('/favicon.ico', (c) => c.body(null, 204))
    .notFound((c) => (c.req.path.startsWith('/api/') ? c.json({ error: 'not-found', message: 'No such resource' }, 404) : c.text('Not found', 404)))
    .onError(handleError);
}

export type App = ReturnType<typeof createApp>;
