/** The frame of every page: readable on a phone, no script, one stylesheet. */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';

export function Layout(props: { title: string; children: Child }) {
  // JSX has no doctype, and without one browsers draw the page in quirks mode.
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en-GB">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · parkrun practice nudges`}</title>
          <link rel="stylesheet" href="/assets/site.css" />
        </head>
        <body>
          <header>
            <p class="brand">parkrun practice nudges</p>
          </header>
          <main id="main">{props.children}</main>
        </body>
      </html>
    </>
  );
}

export function messagePage(props: { title: string; message: string }) {
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
    </Layout>
  );
}
