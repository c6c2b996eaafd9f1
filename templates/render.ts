/**
 * Renders an email from a template with mustache. In the HTML part every `{{value}}` is
 * HTML-escaped (mustache's default); the text part and subject are not HTML, so they are
 * rendered without escaping, and the subject is forced onto one line so no value from a
 * person can ever add a header.
 */
import Mustache from 'mustache';
import { answersHtml, answersText, htmlFooter, htmlLayout, textFooter } from './layout.js';

export interface EmailTemplate<View> {
  /** Template name, recorded in the message log. */
  name: string;
  subject: string;
  text: string;
  html: string;
  /**
   * Whether this email is a mailing: one of the kinds of email its reader can stop. A
   * mailing carries the footer (why it came, and a link to choose or stop emails) and the
   * List-Unsubscribe and List-Id headers. `false` for an email that is no mailing: one a
   * person asked for a moment ago to do one thing themselves (a head-office sign-in link),
   * where a way to "stop" it would stop nothing they did not ask for, and an unsubscribe
   * token would be one more live link for nothing.
   *
   * Other emails someone asked for keep the footer: a fresh link goes to a champion or a
   * director who also gets our nudges, and its footer is their way to stop those (for a
   * fresh link to the preferences page, it is the action itself); a registration
   * confirmation and a hand-over offer go to an address someone else typed into a form,
   * whose owner must be able to stop us writing.
   */
  mailing?: false;
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

/** Renders `template`; `layout` (the footer's) is needed for a mailing, and unused for an email that is not one. */
export function renderEmail<View extends object>(template: EmailTemplate<View>, view: View, layout: LayoutView | undefined): RenderedEmail {
  const footer = template.mailing !== false;
  if (footer && !layout) throw new Error(`The ${template.name} email is a mailing: it needs its footer's links`);
  const data = footer ? { ...view, ...layout } : { ...view };
  const subject = oneLine(Mustache.render(template.subject, data, {}, plain));
  const text = Mustache.render(template.text, data, { answers: answersText }, plain).trim();
  return {
    subject,
    text: footer ? `${text}\n\n${Mustache.render(textFooter, data, {}, plain)}` : text,
    // The body goes in as a partial template, never as rendered output: output fed back to
    // mustache would let a value such as "{{unsubscribeUrl}}" in a practice name be run.
    html: Mustache.render(htmlLayout, { ...data, subject }, { body: template.html, answers: answersHtml, footer: footer ? htmlFooter : '' }),
  };
}

/** One part of a round-up: a template and its view, with its links already in it. */
export interface RoundUpPart {
  template: EmailTemplate<object>;
  view: object;
}

/** The body of a round-up: one section per part, each under its own subject, numbered. */
const roundUpHtml = `{{#greeting}}<p>{{greeting}}</p>{{/greeting}}
<p>Here is what we have for you this week, most important first. Each part works on its own, as its own email would.</p>
{{#sections}}<h2 style="font-size:18px;margin:28px 0 8px;">{{number}}. {{title}}</h2>
{{{html}}}
{{/sections}}`;

/**
 * Several emails a person would have had in one week, as one (see
 * core/policies/mail-budget.ts): each part is rendered exactly as its own email's body
 * would be, under its subject, most important first, with one footer. The parts' HTML is
 * rendered (and escaped) first and placed as a value, never fed back to mustache as
 * template, so nothing a person typed can run as a tag.
 */
export function renderRoundUp(parts: readonly RoundUpPart[], layout: LayoutView): RenderedEmail {
  if (parts.length === 0) throw new Error('A round-up needs at least one part');
  const sections = parts.map(({ template, view }, i) => {
    const data = { ...view, ...layout };
    return {
      number: i + 1,
      title: oneLine(Mustache.render(template.subject, data, {}, plain)),
      text: Mustache.render(template.text, data, { answers: answersText }, plain).trim(),
      html: Mustache.render(template.html, data, { answers: answersHtml }),
    };
  });
  const rest = sections.length - 1;
  const subject = oneLine(rest === 0 ? sections[0]!.title : `${sections[0]!.title}, and ${rest} more this week`);
  // Every part opens "Hello <name>,": the round-up says it once, at the top.
  const greeting = /^(Hello [^\n]*,)\n/.exec(sections[0]!.text)?.[1];
  for (const section of sections) {
    section.text = section.text.replace(/^Hello [^\n]*,\n+/, '');
    section.html = section.html.replace(/^\s*<p>Hello [^<]*,<\/p>\s*/, '');
  }
  const intro = 'Here is what we have for you this week, most important first. Each part works on its own, as its own email would.';
  const text = [...(greeting ? [greeting] : []), intro, ...sections.map((s) => `${s.number}. ${s.title}\n${'-'.repeat(Math.min(60, s.title.length + 3))}\n\n${s.text}`)].join('\n\n');
  return {
    subject,
    text: `${text}\n\n${Mustache.render(textFooter, layout, {}, plain)}`,
    html: Mustache.render(htmlLayout, { ...layout, subject, sections, greeting }, { body: roundUpHtml, footer: htmlFooter }),
  };
}
