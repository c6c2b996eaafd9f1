/**
 * Reading a received reply (adapters/reply-message.ts): the new words only, from messages
 * shaped as Outlook, Gmail and Apple Mail send them (written for these tests), in the
 * charsets and encodings they use; a machine's message known as one; attachments counted.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readReplyMessage } from '../../functions/adapters/reply-message.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/replies/${name}.eml`, import.meta.url));
const envelope = { recipients: ['Reply+abc@Reply.Example'], receivedAt: new Date('2026-11-23T10:12:00Z') };

describe('a received reply, as read', () => {
  it.each([
    ['outlook', 'Lovely to hear from you – come and say hello at the finish funnel on Saturday.', 'From: parkrun practice nudges'],
    ['gmail', 'Thanks! See you on Saturday at 9 — we will look out for you.', 'wrote:'],
    ['apple', "Great, we'll be there. Café after!", 'Sent from my iPhone'],
  ])('keeps only the new words of a %s reply', async (name, words, dropped) => {
    const reply = await readReplyMessage(fixture(name), envelope);
    expect(reply.words).toContain(words);
    expect(reply.words).not.toContain(dropped);
    expect(reply.words).not.toContain('Riverside Surgery has registered');
    expect(reply.from).toBe('sarah@parkrun.example');
    expect(reply.automatic).toBeUndefined();
  });

  it('reads an HTML-only reply as text, without its quoted part', async () => {
    const reply = await readReplyMessage(fixture('html-only'), envelope);
    expect(reply.words).toBe('Yes please & thank you, Saturday works.');
  });

  it('names the message by its Message-ID, the same on every delivery, and lower-cases the envelope', async () => {
    const [a, b] = await Promise.all([readReplyMessage(fixture('gmail'), envelope), readReplyMessage(fixture('gmail'), envelope)]);
    expect(a.messageKey).toMatch(/^[0-9a-f]{32}$/);
    expect(a.messageKey).toBe(b.messageKey);
    expect(a.messageKey).not.toBe((await readReplyMessage(fixture('apple'), envelope)).messageKey);
    expect(a.recipients).toEqual(['reply+abc@reply.example']);
    expect(a.receivedAt).toEqual(envelope.receivedAt);
  });

  it('knows an out-of-office for a machine', async () => {
    expect((await readReplyMessage(fixture('out-of-office'), envelope)).automatic).toBe('Auto-Submitted: auto-replied');
  });

  it('counts an attachment, which is never relayed', async () => {
    const reply = await readReplyMessage(fixture('attachment'), envelope);
    expect(reply.attachments).toBe(1);
    expect(reply.words).toBe('Here are the photos from Saturday.');
  });

  it('reads malformed MIME (an unclosed boundary, an unknown charset) without failing', async () => {
    const reply = await readReplyMessage(fixture('malformed'), envelope);
    expect(reply.words).toContain('Still readable = mostly');
  });

  it('does not read a 12 MB message: its size alone, which the use case refuses', async () => {
    const big = Buffer.concat([fixture('gmail'), Buffer.alloc(12 * 1024 * 1024, 'a')]);
    const reply = await readReplyMessage(big, envelope);
    expect(reply.sizeBytes).toBe(big.length);
    expect(reply.words).toBe('');
  });
});
