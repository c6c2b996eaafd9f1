/** What every answer route shares: reading a form, and the done page that shows the link as it is now. */
import type { Context } from 'hono';
import { UnreadableBodyError, UnsupportedContentTypeError, ValidationError } from '../../core/errors.js';
import type { AnswerAccess, TokenAccessDeps } from '../../core/use-cases/token-access.js';
import { DonePage } from '../views/link-pages.js';

export type FormValues = Record<string, string>;

/** The content types a form arrives in (no type at all is read as an empty form). */
const formTypes = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * The body as form fields. Any other type of body (JSON, say) is refused rather than read
 * as an empty form, and a body that claims to be a form but cannot be read as one (a
 * broken multipart encoding) is the sender's mistake: a clear 4xx, not a 500.
 */
export async function readForm(c: Context) {
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type && !formTypes.includes(type)) {
    throw new UnsupportedContentTypeError('This address takes a web form (application/x-www-form-urlencoded or multipart/form-data). Nothing was saved.');
  }
  return c.req.parseBody({ all: true }).catch(() => {
    throw new UnreadableBodyError('We could not read the form that was sent. Nothing was saved: please go back, reload the page and try again.');
  });
}

/**
 * A form's fields: each field's value (the last, if repeated), every value of each field
 * (for checkboxes), and the names of fields that carried a file rather than text.
 */
export async function formOf(c: Context): Promise<{ values: FormValues; lists: Record<string, string[]>; files: string[] }> {
  const body = await readForm(c);
  const lists: Record<string, string[]> = {};
  const files: string[] = [];
  for (const [name, value] of Object.entries(body)) {
    const parts = ([] as unknown[]).concat(value);
    lists[name] = parts.filter((v): v is string => typeof v === 'string');
    if (lists[name].length < parts.length) files.push(name);
  }
  const values = Object.fromEntries(Object.entries(lists).flatMap(([name, list]) => (list.length ? [[name, list.at(-1)!]] : [])));
  return { values, lists, files };
}

/**
 * A form read strictly: every field sent, by name, for a schema that refuses unknown
 * ones. A file in any field is refused, and so is a field sent twice that takes one value
 * (`suggested=Jane&suggested=3`), so nothing slips past as "the last value wins".
 */
export async function strictFormOf(c: Context, listFields: string[] = []) {
  const { values, lists, files } = await formOf(c);
  const problems: Record<string, string> = {};
  for (const name of files) problems[name] = `Type the answer in "${name}"; files are not accepted`;
  for (const [name, list] of Object.entries(lists)) {
    if (!listFields.includes(name) && list.length > 1) problems[name] ??= `Send "${name}" once`;
  }
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  const input = Object.fromEntries(Object.keys(lists).map((name) => [name, listFields.includes(name) ? lists[name] : (values[name] ?? '')]));
  return { input, values, lists };
}

/** The done page shows the link as it is now, read back after the write. */
export async function done(deps: TokenAccessDeps, access: AnswerAccess, title: string, message: string) {
  const now = await deps.partnerships.getLinkContext(access.practice.code, access.event.shortName);
  const context = { link: now.link ?? access.link, practice: now.practice ?? access.practice, event: now.event ?? access.event };
  return <DonePage title={title} message={message} context={context} now={deps.clock.now()} />;
}

