import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readSettings, SettingsError } from '../../infra/settings.js';
import { appProps } from './synth.js';

const read = (overrides: Record<string, unknown> = {}) => readSettings(new App(appProps(overrides)).node);

describe('deployment settings from CDK context', () => {
  it('cdk.json defaults are valid, and publicBaseUrl is optional', () => {
    expect(read()).toEqual({
      mailFrom: 'parkrun practice nudges <nudges@example.org>',
      mailReplyTo: 'head.office@example.org',
      sesIdentity: 'example.org',
      alarmEmails: ['ops@example.org'],
      mailFromDomain: 'bounce.example.org',
    });
  });

  it('reads who hears of alarms as comma-separated bare addresses, trimmed', () => {
    expect(read({ alarmEmails: ' a@example.org,B.C@mail.example.org ' }).alarmEmails).toEqual(['a@example.org', 'B.C@mail.example.org']);
  });

  it('takes a MAIL FROM domain under the sending domain, and none for an address identity', () => {
    expect(read({ mailFromDomain: 'Mail.Example.org' }).mailFromDomain).toBe('mail.example.org');
    expect(() => read({ mailFromDomain: 'bounce.example.com' })).toThrow(/mailFromDomain: "bounce\.example\.com" must be a subdomain of example\.org/);
    expect(read({ sesIdentity: 'nudges@example.org' }).mailFromDomain).toBeUndefined();
    expect(() => read({ sesIdentity: 'nudges@example.org', mailFromDomain: 'bounce.example.org' })).toThrow(/mailFromDomain: applies only when sesIdentity is a domain/);
  });

  it('takes an optional reply domain, in lower case, refusing a malformed one and the MAIL FROM domain, with the other problems', () => {
    expect(read().replyDomain).toBeUndefined();
    expect(read({ replyDomain: '' }).replyDomain).toBeUndefined();
    expect(read({ replyDomain: ' Reply.Example.org ' }).replyDomain).toBe('reply.example.org');
    expect(() => read({ replyDomain: 'reply..example.org' })).toThrow(/replyDomain: "reply\.\.example\.org" must be a domain/);
    expect(() => read({ replyDomain: 'reply+x@example.org' })).toThrow(/replyDomain: .* must be a domain/);
    expect(() => read({ replyDomain: 'bounce.example.org' })).toThrow(/replyDomain: "bounce\.example\.org" is the MAIL FROM domain/);
    expect(() => read({ replyDomain: ['reply.example.org'] })).toThrow(/replyDomain: must be a string/);
    let error: unknown;
    try {
      read({ replyDomain: 'not a domain', mailReplyTo: 'nobody' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as Error).message).toMatch(/mailReplyTo: [\s\S]*replyDomain: "not a domain"/);
  });

  it('accepts an address identity, a bare From and a subdomain sender, and trims the base URL', () => {
    expect(read({ mailFrom: 'nudges@mail.example.org', publicBaseUrl: 'https://nudges.example.org/' })).toMatchObject({
      mailFrom: 'nudges@mail.example.org',
      publicBaseUrl: 'https://nudges.example.org',
    });
    expect(read({ sesIdentity: 'Nudges@Example.org' }).sesIdentity).toBe('nudges@example.org');
  });

  it('rejects malformed settings, naming every problem at once', () => {
    let error: unknown;
    try {
      read({
        mailFrom: 'Nudges <not-an-address>',
        mailReplyTo: 'Head Office <head@example.org>',
        sesIdentity: 'example..org',
        publicBaseUrl: 'http://nudges.example.org/?token=1',
        alarmEmails: 'head@example.org, head office, ',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const message = (error as Error).message;
    expect(message).toMatch(/mailFrom: .*not-an-address/);
    expect(message).toMatch(/mailReplyTo: .*bare address/);
    expect(message).toMatch(/sesIdentity: .*example\.\.org/);
    expect(message).toMatch(/publicBaseUrl: must use https/);
    expect(message).toMatch(/publicBaseUrl: .*without query/);
    expect(message).toMatch(/alarmEmails: "head office" is not an email address/);
    expect(message).toMatch(/alarmEmails: an empty entry is not an email address/);
  });

  it('rejects an identity that does not cover the From address, a missing setting and a header injection', () => {
    expect(() => read({ sesIdentity: 'example.com' })).toThrow(/does not cover the mailFrom address nudges@example\.org/);
    expect(() => read({ sesIdentity: 'other@example.org' })).toThrow(/does not cover/);
    expect(() => read({ mailReplyTo: undefined })).toThrow(/mailReplyTo: missing/);
    expect(() => read({ alarmEmails: undefined })).toThrow(/alarmEmails: missing/);
    expect(() => read({ alarmEmails: ['ops@example.org'] })).toThrow(/alarmEmails: must be a string/);
    expect(() => read({ mailFrom: 'Nudges <nudges@example.org>\r\nBcc: x@evil.test' })).toThrow(/mailFrom: must be a single line/);
  });
});
