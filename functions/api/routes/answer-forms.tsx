/** What every answer route shares: reading a form, and the done page that shows the link as it is now. */
import type { Context } from 'hono';
import { ValidationError } from '../../core/errors.js';
import type { AnswerAccess, TokenAccessDeps } from '../../core/use-cases/token-access.js';
import { DonePage } from '../views/link-pages.js';

export type FormValues = Record<string, string>;

/**
 * A form's fields: each field's value (the last, if repeated), every value of each field
 * (for checkboxes), and the names of fields that carried a file rather than text.
 */
export async function formOf(c: Context): Promise<{ values: FormValues; lists: Record<string, string[]>; files: string[] }> {
  const body = await c.req.parseBody({ all: true });
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
  const link = (await deps.partnerships.getLink(access.practice.code, access.event.shortName)) ?? access.link;
  const practice = (await deps.partnerships.getPractice(access.practice.code)) ?? access.practice;
  const event = (await deps.events.getEvents([access.event.shortName])).get(access.event.shortName) ?? access.event;
  return <DonePage title={title} message={message} context={{ link, practice, event }} now={deps.clock.now()} />;
}

