/**
 * Renders an email from a template with mustache. In the HTML part every `{{value}}` is
 * HTML-escaped (mustache's default); the text part and subject are not HTML, so they are
 * rendered without escaping, and the subject is forced onto one line so no value from a
 * person can ever add a header.
 */
import Mustache from 'mustache';
import { answersHtml, answersText, htmlLayout, textFooter } from './layout.js';

export interface EmailTemplate<View> {
  /** Template name, recorded in the message log. */
  name: string;
  subject: string;
  text: string;
  html: string;
  /** Compile-time link between a template and the view it expects. */
  readonly view?: View;
}

export interface LayoutView {
  /** One-click target (List-Unsubscribe header). */
  unsubscribeUrl: string;
  /** The footer link: a page to choose which kinds of email to keep. */
  preferencesUrl: string;
  /** One line on why this person gets this email. */
  reason: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const plain = { escape: (value: unknown) => String(value) };

export function oneLine(value: string): string {
  // C0 and C1 controls and Unicode's own line and paragraph separators: some mail clients break a header at each.
  return value.replace(/[\r\n\t\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
}

export function renderEmail<View extends object>(template: EmailTemplate<View>, view: View, layout: LayoutView): RenderedEmail {
  const data = { ...view, ...layout };
  const subject = oneLine(Mustache.render(template.subject, data, {}, plain));
  return {
    subject,
    text: `${Mustache.render(template.text, data, { answers: answersText }, plain).trim()}\n\n${Mustache.render(textFooter, data, {}, plain)}`,
    // The body goes in as a partial template, never as rendered output: output fed back to
    // mustache would let a value such as "{{unsubscribeUrl}}" in a practice name be run.
    html: Mustache.render(htmlLayout, { ...data, subject }, { body: template.html, answers: answersHtml }),
  };
}
