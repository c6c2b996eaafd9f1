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

/** Pages meant to be found: a practice comes to the register form from a search or a parkrun page. */
export const indexablePages: ReadonlySet<string> = new Set(['/register']);

/**
 * Every response but the stylesheets is `Cache-Control: no-store`, and every one but the
 * register form (as a crawler GETs it) `X-Robots-Tag: noindex`. Nearly every page is
 * reached by a token in its URL (magic links, confirmation, hand-over, sign-in,
 * unsubscribe and preferences links) or shows what a head-office session may see: a copy
 * kept by a browser, a proxy or a search engine would show it to the next person. The
 * rest (the form's errors, /health) gains nothing from a cache either. So this is one rule
 * over everything, set here once, rather than a list of token routes that the next new
 * route could be missing from; error and not-found pages get it too, since it runs after
 * the error handler.
 */
export const privateResponses: MiddlewareHandler = async (c, next) => {
  await next();
  // The stylesheets say how long they keep; anything else under /assets (a 404) does not.
  if (c.req.path.startsWith('/assets/') && c.res.headers.has('Cache-Control')) return;
  c.header('Cache-Control', 'no-store');
  if (!(['GET', 'HEAD'].includes(c.req.method) && indexablePages.has(c.req.path))) c.header('X-Robots-Tag', 'noindex');
};

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
