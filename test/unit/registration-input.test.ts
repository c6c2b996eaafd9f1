import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/core/errors.js';
import { parseRegistrationInput } from '../../functions/core/policies/registration-input.js';
import { registrationBody } from '../support/fixtures.js';

function fieldErrors(input: unknown): Record<string, string> {
  try {
    parseRegistrationInput(input);
  } catch (error) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('registration input', () => {
  it('normalises codes, postcodes and emails, and keeps each event name once, however it is spelt', () => {
    const parsed = parseRegistrationInput(
      registrationBody({
        practiceCode: ' a81001 ',
        postcode: 'tw110aa',
        champion: { name: ' Dr Jane Smith ', role: 'GP', email: 'Jane.Smith@NHS.example', phone: '' },
        events: ['Bushy', ' bushy', 'hackney-marshes', '', 'Bushy   Parkrun', ' bushy parkrun'],
        contactedEventTeam: 'yes',
      }),
    );
    expect(parsed).toEqual({
      practiceCode: 'A81001',
      practiceName: 'Riverside Surgery',
      postcode: 'TW11 0AA',
      champion: { name: 'Dr Jane Smith', role: 'GP', email: 'jane.smith@nhs.example', phone: undefined },
      events: ['Bushy', 'hackney-marshes', 'Bushy Parkrun'],
      contactedEventTeam: true,
    });
  });

  it.each(['A81001', 'W97070', '80005'])('accepts the practice code %s', (code) => {
    expect(parseRegistrationInput(registrationBody({ practiceCode: code })).practiceCode).toBe(code);
  });

  it.each(['A8100', 'AB1234', '1234', 'A81001X', ''])('refuses the practice code %j', (code) => {
    expect(fieldErrors(registrationBody({ practiceCode: code }))).toHaveProperty('practiceCode');
  });

  it.each([
    ['SW1A 1AA', 'SW1A 1AA'],
    ['m11ae', 'M1 1AE'],
    ['B33  8TH', 'B33 8TH'],
    ['dn551pt', 'DN55 1PT'],
  ])('accepts the postcode %j as %j', (input, expected) => {
    expect(parseRegistrationInput(registrationBody({ postcode: input })).postcode).toBe(expected);
  });

  it.each(['12345', 'SW1A', 'not a postcode'])('refuses the postcode %j', (postcode) => {
    expect(fieldErrors(registrationBody({ postcode }))).toHaveProperty('postcode');
  });

  it('gives one message per field when everything is missing', () => {
    const fields = fieldErrors({ champion: {} });
    expect(Object.keys(fields).sort()).toEqual(
      ['champion.email', 'champion.name', 'champion.role', 'contactedEventTeam', 'events', 'postcode', 'practiceCode', 'practiceName'].sort(),
    );
  });

  it('refuses a champion email that is not an address', () => {
    expect(fieldErrors(registrationBody({ champion: { name: 'A', role: 'GP', email: 'jane at nhs' } }))['champion.email']).toMatch(/valid email/);
  });

  it('refuses text that would break onto a second line (header injection)', () => {
    expect(fieldErrors(registrationBody({ practiceName: 'Surgery\r\nBcc: everyone@example.org' }))).toHaveProperty('practiceName');
  });

  it('refuses more than five events and malformed event names', () => {
    expect(fieldErrors(registrationBody({ events: ['a', 'b', 'c', 'd', 'e', 'f'] })).events).toMatch(/at most 5/);
    expect(fieldErrors(registrationBody({ events: ['b'.repeat(101)] })).events).toMatch(/short name, such as bushy, or its full name/);
    expect(fieldErrors(registrationBody({ events: ['bushy\u0000'] })).events).toMatch(/short name, such as bushy, or its full name/);
  });

  it('refuses an answer other than yes or no about contacting the event team', () => {
    expect(fieldErrors(registrationBody({ contactedEventTeam: 'maybe' }))).toHaveProperty('contactedEventTeam');
  });

  it('refuses a body that is not an object', () => {
    expect(Object.keys(fieldErrors('hello'))).toEqual(['body']);
  });
});

describe('names that carry a link and are too long', () => {
  // Found by the hostile suite: a form shows one problem a field, and the link is the one to tell.
  it('are refused for the link, not for their length', () => {
    const name = '!   https://evil.example/refund         !';
    expect(name.length).toBeGreaterThan(40);
    expect(fieldErrors(registrationBody({ champion: { name: `${name}${'x'.repeat(120)}`, role: 'GP', email: 'jane@nhs.example' } }))['champion.name']).toMatch(/must be plain text, without a web address/);
  });
});
