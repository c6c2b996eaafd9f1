/** `npm run cli -- sweep quiet-links`, run in-process against a table on DynamoDB Local. */
import { ScanCommand } from '../../functions/adapters/dynamo/document-client.js';
import { describe, expect, it } from 'vitest';
import { localAwsEnv } from '../../local/dynamodb-local.js';
import { runCli } from '../../local/cli.js';
import { aLink, aPractice, sweepWorld, tuesdayMorning } from '../support/sweep-world.js';

async function cli(args: string[], w?: Awaited<ReturnType<typeof sweepWorld>>) {
  const lines: string[] = [];
  const env = w
    ? {
        ...localAwsEnv,
        TABLE_NAME: w.t.tableName,
        TOKEN_SECRET: 'k'.repeat(48),
        PUBLIC_BASE_URL: 'https://nudges.test',
        MAIL_FROM: 'nudges@example.org',
        MAIL_REPLY_TO: 'health@example.org',
        AWS_ENDPOINT_URL_DYNAMODB: w.t.endpoint,
        // Nothing may be sent in these tests: an unreachable mail endpoint would fail any attempt.
        AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:9',
      }
    : {};
  const code = await runCli(args, { out: (l) => lines.push(l), env, runtimeFile: '/nonexistent/runtime.json' });
  return { code, lines };
}

describe('npm run cli -- sweep quiet-links', () => {
  it('prints who would get what, and why, and changes nothing, with --dry-run', async () => {
    const w = await sweepWorld({ practices: [aPractice('A00001')], links: [aLink('A00001', 'bushy', tuesdayMorning, 43)] });
    const before = await w.t.doc.send(new ScanCommand({ TableName: w.t.tableName }));
    const { code, lines } = await cli(['sweep', 'quiet-links', '--dry-run', '--at', tuesdayMorning.toISOString()], w);
    expect(code).toBe(0);
    expect(lines[0]).toBe(`Dry run of ${w.t.tableName} at ${tuesdayMorning.toISOString()}`);
    expect(lines).toContainEqual(expect.stringMatching(/^A00001\.bushy\s+nudge rung 1 -> a00001@nhs\.example\s+\(no contact for 43 days\)$/));
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ dryRun: true, due: 1, nudges: 1, failed: 0 });
    const after = await w.t.doc.send(new ScanCommand({ TableName: w.t.tableName }));
    expect(after.Items).toEqual(before.Items);
  });

  it('plans by the time given with --at', async () => {
    const w = await sweepWorld({ practices: [aPractice('A00001')], links: [aLink('A00001', 'bushy', tuesdayMorning, 10)] });
    const early = await cli(['sweep', 'quiet-links', '--dry-run', '--at', tuesdayMorning.toISOString()], w);
    expect(JSON.parse(early.lines.at(-1)!)).toMatchObject({ due: 0 });
    const later = await cli(['sweep', 'quiet-links', '--dry-run', '--at', '2026-12-29T10:00:00Z'], w);
    expect(JSON.parse(later.lines.at(-1)!)).toMatchObject({ due: 1, nudges: 1 });
  });

  it('explains its usage, and what to start, when called wrongly', async () => {
    expect((await cli(['sweep'])).code).toBe(2);
    const wrong = await cli(['sweep', 'quiet-links', '--at', 'yesterday']);
    expect(wrong.code).toBe(2);
    expect(wrong.lines).toHaveLength(1);
    expect(wrong.lines[0]).toMatch(/^usage:\n {2}npm run cli -- events import <events.json>/);
    expect(wrong.lines[0]).toContain('npm run cli -- sweep quiet-links [--dry-run] [--at <ISO time>]');
    expect((await cli(['metrics', 'rebuild', '--force'])).code).toBe(2);
    const nothing = await cli(['sweep', 'quiet-links', '--dry-run']);
    expect(nothing.code).toBe(1);
    expect(nothing.lines[0]).toMatch(/start the product with `npm start`/);
  });
});

describe('npm run cli -- metrics rebuild', () => {
  it('prints the figures that drifted, corrects them, and finds none the second time', async () => {
    const w = await sweepWorld({ practices: [aPractice('A00001'), aPractice('A00002')], links: [aLink('A00001', 'bushy', tuesdayMorning, 10), aLink('A00002', 'bushy', tuesdayMorning, 50, { status: 'quiet' })] });
    // Nothing counted yet (no watcher ran): everything the data gives has "drifted" from zero.
    const check = await cli(['metrics', 'rebuild', '--dry-run'], w);
    expect(check.code).toBe(0);
    expect(check.lines).toContainEqual(expect.stringMatching(/^ALL\s+status_quiet\s+stored 0, recomputed 1$/));
    expect(JSON.parse(check.lines.at(-1)!)).toMatchObject({ dryRun: true, items: 3, scopes: 4 });
    const fix = await cli(['metrics', 'rebuild'], w);
    expect(fix.lines).toContainEqual(expect.stringMatching(/^REGION#London\s+links\s+stored 0, recomputed 2 \(corrected\)$/));
    const again = await cli(['metrics', 'rebuild', '--dry-run'], w);
    expect(JSON.parse(again.lines.at(-1)!)).toMatchObject({ drifted: 0 });
  });
});
