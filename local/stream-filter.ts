/**
 * Lambda's event filtering, for the patterns this project uses: a list of allowed
 * values for a field, nested objects for nested fields. The same pattern objects go to
 * the CDK event source mappings, so local and AWS agree on which records a consumer sees.
 */
import type { FilterPattern } from '../functions/adapters/dynamo/stream-filters.js';

export function matchesFilter(pattern: FilterPattern, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(pattern).every(([key, rule]) => {
    const field = record[key];
    if (Array.isArray(rule)) return rule.some((allowed) => allowed === field);
    return matchesFilter(rule, field);
  });
}
