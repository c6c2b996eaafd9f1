/**
 * Lambda's event filtering, for the patterns this project uses: a list of allowed
 * values for a field, nested objects for nested fields. The same pattern objects go to
 * the CDK event source mappings, so local and AWS agree on which records a consumer sees.
 */
import { patternsOf, type FilterPattern, type StreamFilter } from '../functions/adapters/dynamo/stream-filters.js';

/** True if `value` matches the pattern, or any of the patterns (ORed, as a mapping's filters are). */
export function matchesFilter(filter: StreamFilter, value: unknown): boolean {
  return patternsOf(filter).some((pattern) => matchesPattern(pattern, value));
}

function matchesPattern(pattern: FilterPattern, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(pattern).every(([key, rule]) => {
    const field = record[key];
    if (Array.isArray(rule)) return rule.some((allowed) => allowed === field);
    return matchesPattern(rule, field);
  });
}
