/** Signing in to the head-office dashboard: ask for a link, check email, use the link. */
import { maskEmail } from './link-pages.js';
import { ErrorSummary } from './link-pages.js';
import { HeadOfficeLayout } from './head-office-layout.js';

export function SignInPage(props: { email?: string; errors?: Record<string, string>; notice?: string }) {
  const error = props.errors?.email;
  return (
    <HeadOfficeLayout title="Sign in">
      <h1>Sign in to the head-office dashboard</h1>
      <ErrorSummary errors={props.errors} />
      {props.notice && <p class="notice">{props.notice}</p>}
      <p>For parkrun's health and wellbeing team and the RCGP. Enter your work address and we will email you a link that signs you in. It works once, for 15 minutes.</p>
      <form method="post" action="/head-office/sign-in" novalidate>
        <div class={error ? 'field has-error' : 'field'}>
          <label for="f-email">Email address</label>
          {error && (
            <p class="error" id="f-email-error">
              {error}
            </p>
          )}
          <input id="f-email" name="email" type="email" autocomplete="email" value={props.email ?? ''} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'f-email-error' : undefined} />
        </div>
        <button type="submit">Email me a sign-in link</button>
      </form>
    </HeadOfficeLayout>
  );
}

export function CheckEmailPage() {
  return (
    <HeadOfficeLayout title="Check your email">
      <div class="done" role="status">
        <h1>Check your email</h1>
        <p>If this address may sign in, a link is on its way. It works once, for 15 minutes.</p>
      </div>
      <p>
        <a href="/head-office/sign-in">Use a different address</a>
      </p>
    </HeadOfficeLayout>
  );
}

export function SignInConfirmPage(props: { email: string }) {
  return (
    <HeadOfficeLayout title="Sign in">
      <h1>Sign in as {maskEmail(props.email)}</h1>
      <p>You will stay signed in for 8 hours on this browser, or until you sign out.</p>
      <form method="post">
        <button type="submit">Sign in</button>
      </form>
    </HeadOfficeLayout>
  );
}
