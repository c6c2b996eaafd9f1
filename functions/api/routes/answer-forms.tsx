/** What every answer route shares: reading a form, and the done page that shows the link as it is now. */
import type { Context } from 'hono';
import type { AnswerAccess, TokenAccessDeps } from '../../core/use-cases/token-access.js';
import { DonePage } from '../views/link-pages.js';

export type FormValues = Record<string, string>;

/** A form's fields: each field's value (the last, if repeated), and every value of each field, for checkboxes. */
export async function formOf(c: Context): Promise<{ values: FormValues; lists: Record<string, string[]> }> {
  const body = await c.req.parseBody({ all: true });
  const lists: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(body)) {
    lists[name] = ([] as unknown[]).concat(value).filter((v): v is string => typeof v === 'string');
  }
  const values = Object.fromEntries(Object.entries(lists).flatMap(([name, list]) => (list.length ? [[name, list.at(-1)!]] : [])));
  return { values, lists };
}

/** The done page shows the link as it is now, read back after the write. */
export async function done(deps: TokenAccessDeps, access: AnswerAccess, title: string, message: string) {
  const link = (await deps.partnerships.getLink(access.practice.code, access.event.shortName)) ?? access.link;
  const practice = (await deps.partnerships.getPractice(access.practice.code)) ?? access.practice;
  const event = (await deps.events.getEvents([access.event.shortName])).get(access.event.shortName) ?? access.event;
  return <DonePage title={title} message={message} context={{ link, practice, event }} now={deps.clock.now()} />;
}

