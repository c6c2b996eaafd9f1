/**
 * Every email template, rendered with hostile text in every value it names: the HTML
 * part escapes it all, the subject stays on one line, and mustache never runs a value as
 * a template. The tests over HTTP follow real values into real emails; this covers the
 * templates no hostile-input path reaches quickly (nudges, digests, contact lost,
 * newcomer notices), whatever the data in the table.
 */
import fc from 'fast-check';
import Mustache from 'mustache';
import { describe, expect, it } from 'vitest';
import { namesOf, type Names } from '../support/template-names.js';
import { templatesByName } from '../../templates/all.js';
import { answersHtml, answersText, htmlFooter, htmlLayout, textFooter } from '../../templates/layout.js';
import { renderEmail } from '../../templates/render.js';
import { hostileText, mailEscaped, runs, unescapedMarkup } from './support.js';

/** Every template the product sends, so a new one is covered the day it is registered. */
const templates = [...templatesByName.values()];

const url = 'https://nudges.test/links/A81001.bushy/in-touch/token';
/** A view giving `text` to every value the template names (links get a real URL: they never come from a person), and two items to every list. */
function viewFor(names: Names, text: string, depth = 3): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const v of names.values) view[v] = /url$/i.test(v) ? url : /^mailto/i.test(v) ? 'mailto:jane.smith@nhs.example' : text;
  for (const [name, inner] of names.sections) {
    if (view[name] !== undefined && !/url$/i.test(name)) continue;
    view[name] = /url$/i.test(name) ? url : depth === 0 ? text : inner.iterates ? [text, text] : [viewFor(inner, text, depth - 1), viewFor(inner, text, depth - 1)];
  }
  return view;
}

describe('every email template with hostile values', () => {
  it('escapes every value in the HTML, keeps the subject on one line, and never runs a value as a template', () => {
    fc.assert(
      fc.property(fc.constantFrom(...templates), hostileText, hostileText, (template, text, reason) => {
        const names = namesOf([...Mustache.parse(template.subject), ...Mustache.parse(template.text), ...Mustache.parse(template.html), ...Mustache.parse(answersHtml), ...Mustache.parse(answersText)]);
        const email = renderEmail(template, viewFor(names, text), { unsubscribeUrl: `${url}?u`, preferencesUrl: `${url}?p`, reason });
        expect(email.subject).not.toMatch(/[\r\n\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
        expect(unescapedMarkup(email.html)).toEqual([]);
        expect(email.html).toContain(mailEscaped(text));
        // The footer's reason, in every mailing (an email that is not one has no footer).
        if (template.mailing !== false) expect(email.html).toContain(mailEscaped(reason));
        expect(email.text).toContain(text);
        // A value such as "{{unsubscribeUrl}}" stays text: no link is made from it.
        expect(`${email.html}\n${email.text}\n${email.subject}`).not.toMatch(/https:\/\/nudges\.test\/[^\s"<&]*hstl/);
        // The layout's own markup is intact around the values.
        expect(email.html.startsWith('<!doctype html>')).toBe(true);
        expect(email.html.match(/<\/body>/g)).toHaveLength(1);
        if (template.mailing !== false) expect(email.text).toContain(Mustache.render(textFooter, { reason, preferencesUrl: `${url}?p` }, {}, { escape: String }));
      }),
      runs(400),
    );
  });

  it('has a layout whose every value is in a text or quoted-attribute position', () => {
    // Only links the product builds (from configuration, or mailto: with encoded addresses) go into attributes, always quoted.
    for (const source of [htmlLayout, htmlFooter, answersHtml, ...templates.map((t) => t.html)]) {
      for (const [, attribute] of source.matchAll(/<[^>]*\s([a-z-]+)=\{\{/g)) expect(attribute, source.slice(0, 80)).toBeUndefined();
      for (const [, name] of source.matchAll(/\s[a-z-]+="\{\{\{?([^}]+)\}\}/g)) expect(name!, source.slice(0, 80)).toMatch(/url$|^mailto/i);
    }
  });
});
