/**
 * Headers and cross-site rules for everything the API serves. Pages are plain server-
 * rendered HTML with one stylesheet, so the content security policy can be strict.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export const pageSecurityHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  referrerPolicy: 'no-referrer',
  xFrameOptions: 'DENY',
  strictTransportSecurity: 'max-age=31536000; includeSubDomains',
});

/**
 * Refuses state-changing requests that a browser says come from another site. Unlike
 * hono's csrf(), it lets through requests with neither Origin nor Sec-Fetch-Site: those
 * come from servers, such as a mail provider's RFC 8058 one-click unsubscribe POST, and a
 * browser always sends at least one of the two on a POST.
 */
export const crossSiteGuard: MiddlewareHandler = async (c, next) => {
  if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const ownOrigin = new URL(c.req.url).origin;
    const crossSite = (site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin !== ownOrigin);
    if (crossSite) return c.text('Cross-site requests are not accepted.', 403);
  }
  await next();
};
