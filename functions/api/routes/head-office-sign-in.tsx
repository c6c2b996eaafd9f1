/**
 * /head-office/sign-in and /head-office/sign-out: the only head-office pages open
 * without a session. The session cookie is signed, HttpOnly, Secure and SameSite=Strict,
 * scoped to /head-office, and lasts 8 hours; signing out deletes the session itself.
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { InvalidTokenError, ValidationError } from '../../core/errors.js';
import { openSignIn, requestSignIn, sessionHours, signIn, signOut, type HeadOfficeAccessDeps } from '../../core/use-cases/head-office-access.js';
import { CheckEmailPage, SignInConfirmPage, SignInPage } from '../views/head-office-sign-in-pages.js';
import { formOf } from './answer-forms.js';
import { sourceAddressOf } from '../source-address.js';
import type { LimitDeps } from '../../core/use-cases/abuse-limits.js';

export const sessionCookie = 'ho_session';
const cookiePath = '/head-office';

export const sessionCookieOf = (c: Context) => getCookie(c, sessionCookie);

export function headOfficeSignInRoutes(deps: HeadOfficeAccessDeps & LimitDeps) {
  return new Hono()
    .get('/sign-in', (c) => c.html(<SignInPage />))
    .post('/sign-in', async (c) => {
      const { values } = await formOf(c);
      try {
        const source = sourceAddressOf(c);
        await requestSignIn(deps, { email: values.email ?? '' }, source ? { source } : {});
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return c.html(<SignInPage email={values.email} errors={error.fields} />, 400);
      }
      return c.html(<CheckEmailPage />);
    })
    .get('/sign-in/:token', async (c) => {
      try {
        const { email } = await openSignIn(deps, c.req.param('token'));
        return c.html(<SignInConfirmPage email={email} />);
      } catch (error) {
        if (!(error instanceof InvalidTokenError)) throw error;
        return c.html(<SignInPage notice={`${error.message} Ask for a new link below.`} />, error.problem === 'used' || error.problem === 'expired' ? 410 : 404);
      }
    })
    .post('/sign-in/:token', async (c) => {
      try {
        const { cookie } = await signIn(deps, c.req.param('token'));
        setCookie(c, sessionCookie, cookie, { path: cookiePath, httpOnly: true, secure: true, sameSite: 'Strict', maxAge: sessionHours * 3600 });
        return c.redirect('/head-office', 303);
      } catch (error) {
        if (!(error instanceof InvalidTokenError)) throw error;
        return c.html(<SignInPage notice={`${error.message} Ask for a new link below.`} />, error.problem === 'used' || error.problem === 'expired' ? 410 : 404);
      }
    })
    .post('/sign-out', async (c) => {
      await signOut(deps, sessionCookieOf(c));
      deleteCookie(c, sessionCookie, { path: cookiePath, secure: true });
      return c.html(<SignInPage notice="You are signed out." />);
    });
}
