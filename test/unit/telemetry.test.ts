/** What is counted for CloudWatch, and when: emails by template, answers by purpose (the EMF itself is in log.test.ts). */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { CountingMailer } from '../../functions/core/counting-mailer.js';
import { releaseHeldMail } from '../../functions/core/use-cases/held-mail.js';
import { createHeadOfficeWatcher } from '../../functions/watchers/head-office-watcher-handler.js';
import { introEventTeam } from '../../templates/intro-event-team.js';
import { anIntroEventTeamView } from '../support/fixtures.js';
import { anEvent } from '../support/fixtures.js';
import { mailSettings, memoryDeps, memoryHeadOffice } from '../support/memory-ports.js';
import { recordingTelemetry } from '../support/telemetry.js';

const view = anIntroEventTeamView();

describe('emails counted', () => {
  it('count each email once, when it goes: not a repeat, not while it is held', async () => {
    // Friday 19:30 in London: the directors' event-eve quiet hours.
    const deps = memoryDeps([anEvent()], new Date('2026-11-27T19:30:00Z'));
    const { counts, telemetry } = recordingTelemetry();
    const mailer = new CountingMailer({ ...deps, telemetry }, mailSettings);
    const send = (key: string, window?: { audience: 'event-director'; timeZone: string }) =>
      mailer.send({ idempotencyKey: key, kind: 'introductions', to: 'sarah@parkrun.example', template: introEventTeam, view, reason: 'test', ...(window ? { window } : {}) });

    expect(await send('intro#1')).toBe('sent');
    expect(await send('intro#1')).toBe('already-sent');
    expect(await send('intro#2', { audience: 'event-director', timeZone: 'Europe/London' })).toBe('held');
    expect(counts).toEqual(['email:intro-event-team']);

    deps.clock.at = new Date('2026-11-28T13:00:00Z');
    expect(await releaseHeldMail({ ...deps, mailer })).toMatchObject({ sent: 1 });
    expect(counts).toEqual(['email:intro-event-team', 'email:intro-event-team']);
    expect(deps.transport.sent).toHaveLength(2);
  });
});

describe('answers counted', () => {
  const token = (uses: number, purpose = 'in-touch') => ({ pk: 'TOKEN#abcdef0123456789', sk: 'TOKEN', entityType: 'Token', uses, subject: 'P2.cardiff', recipient: 'a@x', role: 'champion', purpose, usedAt: '2026-11-23T10:00:00.000Z' });
  const record = (id: string, next: Record<string, unknown>, old: Record<string, unknown>): DynamoDBRecord => ({
    eventID: id,
    eventName: 'MODIFY',
    dynamodb: { SequenceNumber: id, NewImage: marshall(next) as never, OldImage: marshall(old) as never },
  });

  it('count each use of a magic link by its purpose, and a token written without a new use not at all', async () => {
    const { counts, telemetry } = recordingTelemetry();
    const watcher = createHeadOfficeWatcher({ ...memoryDeps([anEvent()]), ...memoryHeadOffice(), telemetry });
    const response = await watcher(
      { Records: [record('1', token(1), token(0)), record('2', token(1), token(1)), record('3', token(1, 'pause'), token(0, 'pause'))] },
      {} as never,
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(counts).toEqual(['answer:in-touch', 'answer:pause']);
  });
});
