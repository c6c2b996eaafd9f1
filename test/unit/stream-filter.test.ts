import { describe, expect, it } from 'vitest';
import { newRegistrationFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { matchesFilter } from '../../local/stream-filter.js';

const record = (eventName: string, entityType: string) => ({ eventName, dynamodb: { NewImage: { entityType: { S: entityType } } } });

describe('stream filter (local twin of Lambda event filtering)', () => {
  it('passes a newly inserted registration', () => {
    expect(matchesFilter(newRegistrationFilter, record('INSERT', 'Registration'))).toBe(true);
  });
  it.each([
    ['an update of a registration', record('MODIFY', 'Registration')],
    ['a new link', record('INSERT', 'Link')],
    ['a removal', { eventName: 'REMOVE', dynamodb: { OldImage: { entityType: { S: 'Registration' } } } }],
  ])('holds back %s', (_, r) => {
    expect(matchesFilter(newRegistrationFilter, r)).toBe(false);
  });
});
