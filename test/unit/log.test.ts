import { describe, expect, it } from 'vitest';
import { redactPath } from '../../functions/log.js';

describe('paths in logs', () => {
  it('never keep a token', () => {
    const token = 'LpPwenBXCCP_IJTfZ9cxLGYXXws8CdaLSet26zCwLX4';
    expect(redactPath(`/links/A81001.bushy/in-touch/${token}`)).toBe('/links/A81001.bushy/in-touch/[redacted]');
    expect(redactPath(`/unsubscribe/${token}`)).toBe('/unsubscribe/[redacted]');
    expect(redactPath(`/fresh-links/${token}/more`)).toBe('/fresh-links/[redacted]/more');
  });
  it('keep ordinary paths readable', () => {
    expect(redactPath('/api/registrations')).toBe('/api/registrations');
    expect(redactPath('/links/A81001.hackney-marshes/pause/x')).toBe('/links/A81001.hackney-marshes/pause/x');
  });
});
