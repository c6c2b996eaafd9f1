/**
 * Behind a REST API's own address (https://abc.execute-api.eu-west-2.amazonaws.com/live/…)
 * every page is served under the stage's name, which API Gateway strips before the app
 * sees the path. So the links, forms, redirects and cookies the app writes as
 * "/register" must carry it, or a click leaves the API: this puts it back, in one place,
 * for every response. Behind a custom domain mapped at its root, and locally, there is no
 * prefix and nothing changes.
 */
import type { Context, MiddlewareHandler } from 'hono';

interface Bindings {
  /** API Gateway's REST (payload 1.0) event: `path` without the stage, `requestContext.path` as the browser asked for it. */
  event?: { path?: string; requestContext?: { path?: string } };
}

/** The prefix the browser sees in front of the app's own paths, or '' when there is none. */
export function servedUnder(c: Context): string {
  const event = (c.env as Bindings | undefined)?.event;
  const asked = event?.requestContext?.path;
  const path = event?.path;
  if (!asked || !path || asked === path || !asked.endsWith(path)) return '';
  const prefix = asked.slice(0, asked.length - path.length);
  // A stage name: letters, digits, - and _. Anything else is not ours to repeat back.
  return /^\/[A-Za-z0-9_-]+$/.test(prefix) ? prefix : '';
}

/** Paths of our own ("/x", not "//host/x") in the attributes our pages write. Values are escaped, so a quote ends one. */
const ownPathAttribute = /(\s(?:href|action|src|formaction)=")\/(?!\/)/g;
const ownPath = (value: string) => value.startsWith('/') && !value.startsWith('//');

export const basePath: MiddlewareHandler = async (c, next) => {
  await next();
  const prefix = servedUnder(c);
  if (!prefix) return;
  const headers = new Headers();
  c.res.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers.set(name, name === 'location' && ownPath(value) ? `${prefix}${value}` : value);
  });
  for (const cookie of c.res.headers.getSetCookie()) headers.append('set-cookie', cookie.replace(/(;\s*Path=)\/(?!\/)/i, `$1${prefix}/`));
  const html = (c.res.headers.get('content-type') ?? '').startsWith('text/html');
  const body = html ? (await c.res.text()).replace(ownPathAttribute, `$1${prefix}/`) : c.res.body;
  const { status, statusText } = c.res;
  // Unset first: hono otherwise copies the old response's headers over the new one's.
  c.res = undefined;
  c.res = new Response(body, { status, statusText, headers });
};
