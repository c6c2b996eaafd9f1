/**
 * Magic links end to end over HTTP and a real DynamoDB Local table, with the attacks the
 * design must withstand: scanners, double clicks, tampering, reuse, expiry, cross-site
 * posts, hostile names, and links kept by someone who has handed over.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '../../functions/adapters/dynamo/document-client.js';
import { keys } from '../../functions/adapters/dynamo/items.js';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { newFreshLinkRequestFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { readStream } from '../support/stream.js';
import { describe, expect, it } from 'vitest';
import { linksIn, magicLinkWorld } from '../support/magic-links.js';

const ed = 'sarah@parkrun.example';
const champion = 'jane.smith@nhs.example';
const days = (n: number) => n * 86_400_000;

async function historyOf(w: Awaited<ReturnType<typeof magicLinkWorld>>) {
  const out = await w.t.doc.send(
    new QueryCommand({
      TableName: w.t.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)',
      ExpressionAttributeValues: { ':pk': 'PRACTICE#A81001', ':h': 'HISTORY#bushy#' },
    }),
  );
  return out.Items ?? [];
}

describe("we're in touch", () => {
  it('records contact by either side, from the email, with when and how', async () => {
    const w = await magicLinkWorld();
    const url = linksIn(w.emailTo(ed))["We're in touch"]!;
    const page = await w.get(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('value="2026-11-23"');
    const res = await w.post(url, { contactedOn: '2026-11-20', how: 'in-person' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Friday 20 November, recorded by the event team (in person at parkrun)');
    expect(await w.link()).toMatchObject({ status: 'active', lastContactAt: '2026-11-20T12:00:00.000Z', lastContactBy: 'event', lastContactHow: 'in-person' });
  });

  it('is not fooled by five scanner GETs: they change nothing and the person can still answer', async () => {
    const w = await magicLinkWorld();
    const url = linksIn(w.emailTo(champion))["We're in touch"]!;
    const before = await w.link();
    for (let i = 0; i < 5; i++) expect((await w.get(url)).status).toBe(200);
    expect(await w.link()).toEqual(before);
    expect(await historyOf(w)).toHaveLength(0);
    expect((await w.post(url, {})).status).toBe(200);
    expect(await w.link()).toMatchObject({ lastContactBy: 'practice', lastContactAt: '2026-11-23T10:00:00.000Z' });
  });

  it('applies once when two POSTs race, and the loser is told the link was used', async () => {
    const w = await magicLinkWorld();
    const url = linksIn(w.emailTo(ed))["We're in touch"]!;
    const results = await Promise.all([w.post(url, {}), w.post(url, {}), w.post(url, {})]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410]);
    expect(await historyOf(w)).toHaveLength(1);
  });

  it('does not move the last contact back when an older contact is recorded', async () => {
    const w = await magicLinkWorld();
    await w.post(linksIn(w.emailTo(ed))["We're in touch"]!, {});
    await w.post(linksIn(w.emailTo(champion))["We're in touch"]!, { contactedOn: '2026-10-01' });
    expect((await w.link())?.lastContactAt).toBe('2026-11-23T10:00:00.000Z');
    expect(await historyOf(w)).toHaveLength(2);
  });

  it('refuses a future date or a malformed one with a message beside the field', async () => {
    const w = await magicLinkWorld();
    const url = linksIn(w.emailTo(ed))["We're in touch"]!;
    const res = await w.post(url, { contactedOn: '2026-12-25' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('The date cannot be in the future');
    expect((await w.post(url, { contactedOn: '22/11/2026' })).status).toBe(400);
    expect((await w.post(url, { how: 'carrier-pigeon' })).status).toBe(400);
    expect((await w.link())?.lastContactAt).toBeUndefined();
    expect((await w.post(url, {})).status).toBe(200);
  });
});

describe('activities, pause and hand-over', () => {
  it('records activity statuses, keeping earlier answers and showing them next time', async () => {
    const w = await magicLinkWorld();
    await w.post(linksIn(w.emailTo(ed))['Record what you have done or planned']!, { 'flyers-posters': 'done', 'volunteer-takeover': 'open' });
    await w.post(linksIn(w.emailTo(champion))['Record what you have done or planned']!, { 'staff-presentation': 'planned' });
    const activities = (await w.link())?.activities;
    expect(Object.fromEntries(Object.entries(activities ?? {}).map(([k, v]) => [k, [v.status, v.updatedBy]]))).toEqual({
      'flyers-posters': ['done', 'event'],
      'volunteer-takeover': ['open', 'event'],
      'staff-presentation': ['planned', 'practice'],
    });
    expect((await w.post(linksIn(w.emailTo(ed))['Record what you have done or planned']!, {})).status).toBe(410);
  });

  it('refuses an activity answer that is not one of the four', async () => {
    const w = await magicLinkWorld();
    const res = await w.post(linksIn(w.emailTo(ed))['Record what you have done or planned']!, { 'flyers-posters': 'maybe' });
    expect(res.status).toBe(400);
    expect((await w.link())?.activities).toBeUndefined();
  });

  it('pauses for the months chosen in the email', async () => {
    const w = await magicLinkWorld();
    const url = linksIn(w.emailTo(ed))['Pause for 3 months']!;
    expect(await (await w.get(url)).text()).toMatch(/value="3" checked/);
    const res = await w.post(url, { months: '3' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('until Tuesday 23 February');
    expect((await w.link())?.pausedUntil).toBe('2027-02-23T10:00:00.000Z');
  });

  it("offers the champion's role to a successor, who becomes the contact only on accepting; then the old links stop working", async () => {
    const w = await magicLinkWorld();
    const links = linksIn(w.emailTo(champion));
    const res = await w.post(links['Someone else at the practice should be the contact? Hand over to them']!, {
      name: 'Nadia Rahman',
      role: 'Practice nurse',
      email: 'Nadia.Rahman@nhs.example',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('We have asked Nadia Rahman to accept');
    // Offered, not handed over: the old champion stays, and their links still work.
    await w.watchHandovers();
    expect((await w.store.partnerships.getPractice('A81001'))?.champion.email).toBe(champion);
    expect((await w.get(links["We're in touch"]!)).status).toBe(200);
    const offer = w.emailTo('nadia.rahman@nhs.example');
    expect(offer.subject).toBe('Dr Jane Smith would like to hand over to you');
    const accept = linksIn(offer)['Accept the hand-over']!;
    // A scanner's GET shows the offer and accepts nothing.
    for (let i = 0; i < 3; i++) expect(await (await w.get(accept)).text()).toContain('Accept the hand-over');
    expect((await w.store.partnerships.getPractice('A81001'))?.champion.email).toBe(champion);

    expect((await w.post(accept)).status).toBe(200);
    expect((await w.store.partnerships.getPractice('A81001'))?.champion).toEqual({ name: 'Nadia Rahman', role: 'Practice nurse', email: 'nadia.rahman@nhs.example' });
    expect((await w.post(accept)).status).toBe(410);
    const stale = await w.get(links["We're in touch"]!);
    expect(stale.status).toBe(403);
    expect(await stale.text()).toContain('Someone else looks after this now');
    expect((await w.post(links["We're in touch"]!, {})).status).toBe(403);
  });

  it('changes nothing for a successor who never accepts, and their link ends when it expires', async () => {
    const w = await magicLinkWorld();
    const links = linksIn(w.emailTo(champion));
    await w.post(links['Someone else at the practice should be the contact? Hand over to them']!, { name: 'Nadia Rahman', role: 'Practice nurse', email: 'nadia@nhs.example' });
    await w.watchHandovers();
    const accept = linksIn(w.emailTo('nadia@nhs.example'))['Accept the hand-over']!;
    w.clock.advance(days(30));
    const late = await w.post(accept);
    expect(late.status).toBe(410);
    const page = await late.text();
    expect(page).toContain('ask Dr Jane Smith to hand over again');
    expect(page).not.toContain('/fresh-links/');
    expect((await w.store.partnerships.getPractice('A81001'))?.champion.email).toBe(champion);
    expect(w.transport.sent.filter((e) => e.to === 'nadia@nhs.example')).toHaveLength(1);
  });

  it('lets only the first of two offers be accepted: the second successor is told someone else has the role', async () => {
    const w = await magicLinkWorld();
    const handOver = linksIn(w.emailTo(ed))['Hand over to a colleague']!;
    expect((await w.post(handOver, { name: 'Priya Shah', role: 'Co-event director', email: 'priya@parkrun.example' })).status).toBe(200);
    // The same link cannot offer twice: a fresh one from the same director can.
    expect((await w.post(handOver, { name: 'Ola Nowak', role: 'Run director', email: 'ola@parkrun.example' })).status).toBe(410);
    await w.watchHandovers();
    expect(w.transport.sent.some((e) => e.to === 'ola@parkrun.example')).toBe(false);
    expect((await w.acceptHandover('priya@parkrun.example')).status).toBe(200);
  });

  it('brings a link whose contact bounced back to life when the new champion accepts', async () => {
    const w = await magicLinkWorld();
    const handOver = linksIn(w.emailTo(champion))['Someone else at the practice should be the contact? Hand over to them']!;
    await w.store.partnerships.markContactLost({ practiceCode: 'A81001', eventShortName: 'bushy' }, w.clock.now());
    expect((await w.link())?.dueAt).toBeUndefined();
    expect((await w.post(handOver, { name: 'Nadia Rahman', role: 'Practice nurse', email: 'nadia@nhs.example' })).status).toBe(200);
    expect((await w.link())?.status).toBe('contact-lost');
    expect((await w.acceptHandover('nadia@nhs.example')).status).toBe(200);
    expect(await w.link()).toMatchObject({ status: 'active', ladder: { rung: 0 }, dueAt: '2027-01-04T10:00:00.000Z' });
  });

  it('hands over when the champion\'s address is stored in other capitals than the email was sent to', async () => {
    const w = await magicLinkWorld();
    const handOver = linksIn(w.emailTo(champion))['Someone else at the practice should be the contact? Hand over to them']!;
    // Re-imported since, from a spreadsheet that spells the address with capitals: the same person.
    await w.t.doc.send(new UpdateCommand({ TableName: w.t.tableName, Key: keys.practice('A81001'), UpdateExpression: 'SET champion.email = :e', ExpressionAttributeValues: { ':e': 'Jane.Smith@NHS.example' } }));
    expect((await w.post(handOver, { name: 'Nadia Rahman', role: 'Practice nurse', email: 'nadia@nhs.example' })).status).toBe(200);
    expect((await w.acceptHandover('nadia@nhs.example')).status).toBe(200);
    expect((await w.store.partnerships.getPractice('A81001'))?.champion.email).toBe('nadia@nhs.example');
  });

  it("hands an event director's place over to a successor who accepts, keeping the other director", async () => {
    const w = await magicLinkWorld();
    const res = await w.post(linksIn(w.emailTo(ed))['Hand over to a colleague']!, { name: 'Priya Shah', role: 'Co-event director', email: 'priya@parkrun.example' });
    expect(res.status).toBe(200);
    const directors = async () => (await w.store.events.getEvents(['bushy'])).get('bushy')?.eventDirectors.map((d) => d.email);
    expect(await directors()).toEqual([ed, 'tom@parkrun.example']);
    expect((await w.acceptHandover('priya@parkrun.example')).status).toBe(200);
    expect(await directors()).toEqual(['priya@parkrun.example', 'tom@parkrun.example']);
  });

  it('refuses handing over to yourself', async () => {
    const w = await magicLinkWorld();
    const res = await w.post(linksIn(w.emailTo(ed))['Hand over to a colleague']!, { name: 'Me', role: 'ED', email: ed });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('not your own');
  });
});

describe('tokens under attack', () => {
  it('refuses a token for one action at another action, and for one link at another', async () => {
    const w = await magicLinkWorld();
    const pause = linksIn(w.emailTo(ed))['Pause for 1 month']!;
    const asInTouch = pause.replace('/pause/', '/in-touch/').replace('?months=1', '');
    const res = await w.post(asInTouch, {});
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('This link is for something else');
    const otherLink = pause.replace('A81001.bushy', 'A81002.bushy');
    expect((await w.post(otherLink, { months: '1' })).status).toBe(404);
    expect((await w.post(pause.replace('/pause/', '/delete-everything/'), {})).status).toBe(404);
    expect(await historyOf(w)).toHaveLength(0);
  });

  it('answers tampered and unknown tokens with a clear page, not a stack trace, and changes nothing', async () => {
    const w = await magicLinkWorld();
    const url = linksIn(w.emailTo(ed))["We're in touch"]!;
    const token = url.split('/').pop()!;
    const tampered = url.replace(token, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`);
    for (const bad of [tampered, url.replace(token, 'short'), `${url}extra`]) {
      const res = await w.post(bad, {});
      expect(res.status).toBe(404);
      const page = await res.text();
      expect(page).toContain('We do not recognise this link');
      expect(page).toContain('Nothing has been changed');
      expect(page).not.toMatch(/at .*\.ts:\d+|Error:/);
    }
    expect((await w.link())?.lastContactAt).toBeUndefined();
  });

  it('refuses an expired token even before TTL removes it, and offers a fresh one', async () => {
    const w = await magicLinkWorld();
    const url = linksIn(w.emailTo(ed))["We're in touch"]!;
    w.clock.advance(days(14) + 1000);
    const res = await w.get(url);
    expect(res.status).toBe(410);
    const page = await res.text();
    expect(page).toContain('This link has expired');
    expect(page).toContain('s••••@parkrun.example');
    expect(page).toContain(`action="/fresh-links/${url.split('/').pop()}"`);
    expect((await w.post(url, {})).status).toBe(410);
    expect((await w.link())?.lastContactAt).toBeUndefined();
  });

  it('shows a used link as used, with the link as it now stands, on a second visit', async () => {
    const w = await magicLinkWorld();
    const url = linksIn(w.emailTo(ed))["We're in touch"]!;
    await w.post(url, { how: 'email' });
    const again = await w.get(url);
    expect(again.status).toBe(410);
    const page = await again.text();
    expect(page).toContain('This link has already been used');
    expect(page).toContain('Monday 23 November, recorded by the event team (by email)');
  });

  it('sends a fresh link only to the address on record, limited per address per hour', async () => {
    const w = await magicLinkWorld();
    const url = linksIn(w.emailTo(ed))["We're in touch"]!;
    await w.post(url, {});
    const token = url.split('/').pop()!;
    for (let i = 0; i < 3; i++) {
      const res = await w.post(`http://localhost/fresh-links/${token}`);
      expect(res.status).toBe(202);
      expect(await res.text()).toContain('s••••@parkrun.example');
    }
    const limited = await w.post(`http://localhost/fresh-links/${token}`);
    expect(limited.status).toBe(429);
    w.clock.advance(days(1));
    expect((await w.post(`http://localhost/fresh-links/${token}`)).status).toBe(202);
    const requests = await readStream(w.t.streams, w.t.streamArn, newFreshLinkRequestFilter);
    expect(requests.map((r) => unmarshall(r.dynamodb!.NewImage as Record<string, AttributeValue>))).toEqual(
      Array.from({ length: 4 }, () => expect.objectContaining({ purpose: 'in-touch', subject: 'A81001.bushy', recipient: ed, role: 'event-director' })),
    );
  });

  it('refuses cross-site POSTs and changes nothing', async () => {
    const w = await magicLinkWorld();
    const url = linksIn(w.emailTo(ed))["We're in touch"]!;
    const res = await w.post(url, {}, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
    expect((await w.link())?.lastContactAt).toBeUndefined();
  });

  it('sends no-referrer, a content security policy and the usual headers on every page', async () => {
    const w = await magicLinkWorld();
    const links = linksIn(w.emailTo(ed));
    for (const url of [links["We're in touch"]!, links['Choose which emails you get, or stop them']!, 'http://localhost/links/A81001.bushy/in-touch/nope']) {
      const res = await w.get(url);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('shows a practice name full of quotes and ampersands as text on pages and in emails (markup itself is refused at the form)', async () => {
    const w = await magicLinkWorld(`Tom & "Jerry's" Surgery`);
    const email = w.emailTo(ed);
    expect(email.html).toContain('Tom &amp; &quot;Jerry&#39;s&quot; Surgery');
    const page = await (await w.get(linksIn(email)["We're in touch"]!)).text();
    expect(page).toContain('Tom &amp; &quot;Jerry&#39;s&quot; Surgery');
    expect(page).not.toContain(`"Jerry's"`);
  });
});

describe('email preferences', () => {
  it('keeps chosen kinds and stops the rest; the mailer then refuses the stopped kind', async () => {
    const w = await magicLinkWorld();
    const url = linksIn(w.emailTo(ed))['Choose which emails you get, or stop them']!;
    const page = await (await w.get(url)).text();
    expect(page).toContain('name="keep" value="introductions" checked');
    const res = await w.app.request(`http://localhost${new URL(url).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      body: 'action=save&keep=nudges&keep=digests',
    });
    expect(res.status).toBe(200);
    expect(await w.store.optOuts.isOptedOut(ed, 'introductions')).toBe(true);
    expect(await w.store.optOuts.isOptedOut(ed, 'digests')).toBe(false);
    expect(await (await w.get(url)).text()).toContain('name="keep" value="digests" checked');
  });

  it('stops everything with one click, without cookies or a redirect, and again harmlessly', async () => {
    const w = await magicLinkWorld();
    const header = w.emailTo(ed).headers.find((h) => h.name === 'List-Unsubscribe')!.value.slice(1, -1);
    for (let i = 0; i < 2; i++) {
      const res = await w.app.request(`http://localhost${new URL(header).pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    expect(await w.store.optOuts.isOptedOut(ed, 'introductions')).toBe(true);
  });
});

