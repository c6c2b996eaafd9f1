/**
 * /head-office: sign-in and sign-out open to all; everything else behind the session
 * guard, one sub-app per resource.
 */
import { Hono } from 'hono';
import type { ApiDeps } from '../../wiring.js';
import { requireHeadOffice, type HeadOfficeEnv } from '../head-office-guard.js';
import { headOfficeDashboardRoutes } from './head-office-dashboard.js';
import { headOfficeEventRoutes } from './head-office-events.js';
import { headOfficeRegistrationRoutes } from './head-office-registrations.js';
import { headOfficeLinkRoutes } from './head-office-links.js';
import { headOfficeSignInRoutes } from './head-office-sign-in.js';

export function headOfficeRoutes(deps: ApiDeps) {
  const guarded = new Hono<HeadOfficeEnv>().use(requireHeadOffice(deps)).route('/', headOfficeDashboardRoutes(deps)).route('/', headOfficeLinkRoutes(deps)).route('/', headOfficeEventRoutes(deps))
    .route('/', headOfficeRegistrationRoutes(deps));
  return new Hono().route('/', headOfficeSignInRoutes(deps)).route('/', guarded);
}
