/** The frame of the head-office pages: wider than the magic-link pages (a laptop or tablet), with who is signed in and a sign-out button. */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';

export function HeadOfficeLayout(props: { title: string; email?: string; children: Child }) {
  // JSX has no doctype, and without one browsers draw the page in quirks mode.
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en-GB">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · parkrun practice nudges head office`}</title>
          <link rel="stylesheet" href="/assets/site.css" />
          <link rel="stylesheet" href="/assets/head-office.css" />
        </head>
        <body class="head-office">
          <header>
            <p class="brand">
              <a href="/head-office">parkrun practice nudges · head office</a>
            </p>
            {props.email && (
              <form method="post" action="/head-office/sign-out" class="sign-out">
                <span>{props.email}</span> <button type="submit">Sign out</button>
              </form>
            )}
          </header>
          <main id="main">{props.children}</main>
        </body>
      </html>
    </>
  );
}
