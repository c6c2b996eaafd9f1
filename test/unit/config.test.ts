import { describe, expect, it } from 'vitest';
import { defaultAbuseLimits } from '../../functions/core/policies/abuse-limits.js';
import { ConfigError, loadApiConfig, loadFailureKeeperConfig, loadWatcherConfig } from '../../functions/config.js';

const complete = {
  TABLE_NAME: 't',
  TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:tokens',
  PUBLIC_BASE_URL: 'https://nudges.example.org/',
  MAIL_FROM: 'parkrun practice nudges <nudges@example.org>',
  MAIL_REPLY_TO: 'health@example.org',
};

describe('configuration', () => {
  it('reads a complete environment', () => {
    expect(loadWatcherConfig(complete)).toEqual({
      tableName: 't',
      tokenSecret: { secretArn: complete.TOKEN_SECRET_ARN },
      nudgePolicy: { quietAfterDays: 42, rungSpacingDays: 14, atRiskPauseDays: 60, digestIntervalDays: 21 },
      mail: { publicBaseUrl: 'https://nudges.example.org', from: complete.MAIL_FROM, replyTo: 'health@example.org', sendRatePerSecond: 10, budget: { unaskedEveryDays: 7, unaskedPerMonth: 2 } },
      limits: defaultAbuseLimits,
    });
  });

  it('takes the limits on what a stranger can make us send from ABUSE_LIMITS, over the defaults, and refuses nonsense', () => {
    const config = loadApiConfig({ ...complete, ABUSE_LIMITS: '{"registration":{"perSource":{"count":50,"hours":1}}}' });
    expect(config.limits.registration).toEqual({ ...defaultAbuseLimits.registration, perSource: { count: 50, hours: 1 } });
    expect(config.limits['sign-in']).toEqual(defaultAbuseLimits['sign-in']);
    expect(() => loadApiConfig({ ...complete, ABUSE_LIMITS: 'lots' })).toThrow(/ABUSE_LIMITS: must be JSON/);
    expect(() => loadApiConfig({ ...complete, ABUSE_LIMITS: '{"registration":{"perSource":{"count":0,"hours":1}}}' })).toThrow(ConfigError);
    expect(() => loadApiConfig({ ...complete, ABUSE_LIMITS: '{"registrations":{}}' })).toThrow(ConfigError);
  });

  it('takes the nudge policy, the send rate and the unasked-email budget from the environment, and refuses nonsense', () => {
    const config = loadWatcherConfig({ ...complete, NUDGE_QUIET_AFTER_DAYS: '28', SEND_RATE_PER_SECOND: '2.5', UNASKED_EMAIL_EVERY_DAYS: '10', UNASKED_EMAILS_PER_MONTH: '3' });
    expect(config.nudgePolicy.quietAfterDays).toBe(28);
    expect(config.mail.sendRatePerSecond).toBe(2.5);
    expect(config.mail.budget).toEqual({ unaskedEveryDays: 10, unaskedPerMonth: 3 });
    expect(() => loadWatcherConfig({ ...complete, UNASKED_EMAIL_EVERY_DAYS: 'weekly' })).toThrow(/UNASKED_EMAIL_EVERY_DAYS/);
    expect(() => loadWatcherConfig({ ...complete, UNASKED_EMAILS_PER_MONTH: '0' })).toThrow(/UNASKED_EMAILS_PER_MONTH/);
    expect(() => loadWatcherConfig({ ...complete, NUDGE_RUNG_SPACING_DAYS: 'fortnight' })).toThrow(/NUDGE_RUNG_SPACING_DAYS/);
    expect(() => loadWatcherConfig({ ...complete, NUDGE_AT_RISK_PAUSE_DAYS: '0' })).toThrow(/NUDGE_AT_RISK_PAUSE_DAYS/);
  });

  it('names every missing setting at once', () => {
    expect(() => loadWatcherConfig({ TABLE_NAME: 't', TOKEN_SECRET: 'x'.repeat(32) })).toThrow(
      /PUBLIC_BASE_URL.*MAIL_FROM.*MAIL_REPLY_TO/,
    );
  });

  it('needs a token secret from one place or the other', () => {
    expect(() => loadApiConfig({ TABLE_NAME: 't' })).toThrow(ConfigError);
    expect(() => loadApiConfig({ TABLE_NAME: 't', TOKEN_SECRET: 'short' })).toThrow(/at least 32/);
    expect(loadApiConfig({ TABLE_NAME: 't', TOKEN_SECRET: 'x'.repeat(32) }).tokenSecret).toEqual({ secret: 'x'.repeat(32) });
  });

  it('refuses a sender that spans lines', () => {
    expect(() => loadWatcherConfig({ ...complete, MAIL_FROM: 'a <a@example.org>\r\nBcc: b@example.org' })).toThrow(/MAIL_FROM/);
  });

  // zod/mini alone has no messages but "Invalid input"; functions/core/zod.ts loads the English ones.
  it('says what is wrong with each setting in words', () => {
    expect(() => loadApiConfig({ TOKEN_SECRET: 'x'.repeat(32), NUDGE_QUIET_AFTER_DAYS: '2.5', NUDGE_RUNG_SPACING_DAYS: '0' })).toThrow(
      'Invalid configuration: TABLE_NAME: Invalid input: expected string, received undefined; NUDGE_QUIET_AFTER_DAYS: Invalid input: expected int, received number; NUDGE_RUNG_SPACING_DAYS: Too small: expected number to be >=1',
    );
    expect(() => loadWatcherConfig({ ...complete, MAIL_REPLY_TO: 'nobody', PUBLIC_BASE_URL: 'not a url' })).toThrow(
      'Invalid configuration: PUBLIC_BASE_URL: Invalid URL; MAIL_REPLY_TO: Invalid email address',
    );
  });

  it('tells the failure keeper which stream consumer each watcher function is, and refuses a name it does not know', () => {
    expect(loadFailureKeeperConfig({ TABLE_NAME: 't', STREAM_CONSUMERS: 'Stack-Registration-Ab12=registration-watcher, Stack-HeadOffice-Cd34=head-office-watcher' })).toEqual({
      tableName: 't',
      streamConsumers: { 'Stack-Registration-Ab12': 'registration-watcher', 'Stack-HeadOffice-Cd34': 'head-office-watcher' },
    });
    expect(() => loadFailureKeeperConfig({ TABLE_NAME: 't', STREAM_CONSUMERS: 'Stack-Registration-Ab12=registration' })).toThrow(
      /^Invalid configuration: STREAM_CONSUMERS: must be <function name>=<consumer>, comma-separated, each consumer one of registration-watcher, handover-watcher/,
    );
    expect(() => loadFailureKeeperConfig({ TABLE_NAME: 't' })).toThrow(ConfigError);
  });
});
