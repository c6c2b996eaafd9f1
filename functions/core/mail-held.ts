/** Held mail's views: where a held message's links go, filled in with their URLs when it is sent. */
import { templatesByName } from '../../templates/all.js';
import type { EmailTemplate } from '../../templates/render.js';
import type { HeldMessage, LinkSlot } from './ports.js';
import { randomBytes } from 'node:crypto';

export function templateOf(message: HeldMessage): EmailTemplate<object> {
  const template = templatesByName.get(message.template);
  if (!template) throw new Error(`Held message ${message.idempotencyKey} names no known template (${message.template})`);
  return template;
}

/**
 * A held view and the slots its links go in. The view is drawn with a random,
 * unguessable stand-in for each link's URL, and each place where a whole value is exactly
 * a stand-in becomes a slot (a path into the view, and the link's name); the stand-ins are
 * then cleared. Text a person typed, whatever it says, is never a slot: nothing in it can
 * become a live link when the message is sent.
 */
export function viewWithSlots<View extends object>(draw: View | ((urls: Record<string, string>) => View), names: string[]): { view: Record<string, unknown>; slots: LinkSlot[] } {
  const standIns = new Map(names.map((name) => [`urn:held-link:${randomBytes(18).toString('base64url')}`, name]));
  const view = (typeof draw === 'function' ? draw(Object.fromEntries([...standIns].map(([standIn, name]) => [name, standIn]))) : draw) as Record<string, unknown>;
  const slots: LinkSlot[] = [];
  const walk = (value: unknown, path: Array<string | number>): unknown => {
    if (typeof value === 'string') {
      const link = standIns.get(value);
      if (link === undefined) return value;
      slots.push({ path, link });
      return '';
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    return value;
  };
  return { view: walk(view, []) as Record<string, unknown>, slots };
}

/** The held view with each slot filled with its link's URL, now issued. */
export function withLinks(view: Record<string, unknown>, slots: readonly LinkSlot[], urls: Record<string, string>): object {
  const filled = structuredClone(view);
  for (const { path, link } of slots) {
    let at: Record<string | number, unknown> = filled;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
    at[path.at(-1)!] = urls[link] ?? '';
  }
  return filled;
}
