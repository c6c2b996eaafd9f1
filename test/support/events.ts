/** AWS event fixtures from test/events, cloned on every load so a test can change its copy freely. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function loadEvent<T>(source: string, scenario: string): T {
  const path = fileURLToPath(new URL(`../events/${source}/${scenario}.json`, import.meta.url));
  return structuredClone(JSON.parse(readFileSync(path, 'utf8')) as T);
}
