import { describe, expect, it } from 'vitest';
import { headOfficeFilter, newRegistrationFilter } from '../../functions/adapters/dynamo/stream-filters.js';
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

describe('a filter of several patterns (ORed, as the filters of a mapping are)', () => {
  it.each([
    ['a new link', record('INSERT', 'Link')],
    ['a link changed', record('MODIFY', 'Link')],
    ['a magic link used (its token changed)', record('MODIFY', 'Token')],
  ])('lets head office see %s', (_, r) => {
    expect(matchesFilter(headOfficeFilter, r)).toBe(true);
  });
  it.each([
    ['a token written for an email (it moves no figure)', record('INSERT', 'Token')],
    ['a message in the outbox', record('MODIFY', 'Message')],
  ])('holds back from head office %s', (_, r) => {
    expect(matchesFilter(headOfficeFilter, r)).toBe(false);
  });
});
