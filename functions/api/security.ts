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
 * hono's csrf(), it lets through requests with neither Sec-Fetch-Site nor Origin: those
 * come from servers, such as a mail provider's RFC 8058 one-click unsubscribe POST, and a
 * browser always sends at least one of the two on a POST. Sec-Fetch-Site is trusted first:
 * pages cannot forge it, and under our no-referrer policy browsers send `Origin: null`
 * even on a same-origin form post.
 */
export const crossSiteGuard: MiddlewareHandler = async (c, next) => {
  if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) && isCrossSite(c.req.header('sec-fetch-site'), c.req.header('origin'), c.req.url)) {
    return c.text('Cross-site requests are not accepted.', 403);
  }
  await next();
};

export function isCrossSite(secFetchSite: string | undefined, origin: string | undefined, requestUrl: string): boolean {
  if (secFetchSite !== undefined) return secFetchSite !== 'same-origin' && secFetchSite !== 'none';
  if (origin !== undefined) return origin !== new URL(requestUrl).origin;
  return false;
}
