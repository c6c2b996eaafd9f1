import { describe, expect, it } from 'vitest';
import { LinkAlreadyExistsError, UnknownEventError, ValidationError } from '../../functions/core/errors.js';
import { parseRegistrationInput } from '../../functions/core/policies/registration-input.js';
import { introduceRegistration } from '../../functions/core/use-cases/introduce-registration.js';
import { submitRegistration } from '../../functions/core/use-cases/submit-registration.js';
import { anEvent, registrationBody } from '../support/fixtures.js';
import { memoryDeps } from '../support/memory-ports.js';
import { sendConfirmationRequest, confirmRegistration } from '../../functions/core/use-cases/registration-confirmation.js';
import { asRegistration, confirmationIn, isConfirmationRequest, registerAndConfirm } from '../support/registrations.js';
import type { PendingRegistration } from '../../functions/core/model.js';

/** The champion confirms from the request in their inbox. */
async function registerAndConfirmPending(deps: ReturnType<typeof memoryDeps>, pending: PendingRegistration) {
  const request = [...deps.transport.sent].reverse().find(isConfirmationRequest)!;
  await confirmRegistration(deps, confirmationIn(request));
  return asRegistration(pending);
}

const events = () => [
  anEvent(),
  anEvent({ shortName: 'hackney-marshes', name: 'Hackney Marshes parkrun', eventDirectors: [{ name: 'Priya Shah', email: 'priya@parkrun.example' }] }),
  anEvent({ shortName: 'colwick', name: 'Colwick parkrun', eventDirectors: [] }),
];

describe('submit registration', () => {
  it('stores the registration awaiting its champion, and nothing else until they confirm', async () => {
    const deps = memoryDeps(events());
    const pending = await submitRegistration(deps, parseRegistrationInput(registrationBody({ events: ['bushy', 'hackney-marshes'] })));
    expect(pending).toMatchObject({ submittedAt: deps.clock.now().toISOString(), status: 'awaiting-confirmation', practiceOnRecord: false });
    expect(deps.partnerships.registrations).toEqual([]);
    expect(deps.partnerships.links.size).toBe(0);

    await sendConfirmationRequest(deps, pending);
    expect(deps.transport.sent.map((e) => [e.to, e.subject])).toEqual([['jane.smith@nhs.example', 'Confirm your parkrun practice registration']]);
    const registration = await registerAndConfirmPending(deps, pending);
    expect(deps.partnerships.registrations).toEqual([registration]);
    expect([...deps.partnerships.links.values()].map((l) => [l.eventShortName, l.status, l.initialContact])).toEqual([
      ['bushy', 'registered', 'introduction'],
      ['hackney-marshes', 'registered', 'introduction'],
    ]);
  });

  it('names every unknown event and stores nothing', async () => {
    const deps = memoryDeps(events());
    const attempt = submitRegistration(deps, parseRegistrationInput(registrationBody({ events: ['bushy', 'nowhere', 'atlantis'] })));
    await expect(attempt).rejects.toBeInstanceOf(UnknownEventError);
    await expect(attempt).rejects.toMatchObject({ shortNames: ['nowhere', 'atlantis'], message: 'Unknown parkrun events: nowhere; atlantis' });
    expect(deps.partnerships.registrations).toHaveLength(0);
  });

  it('finds events by their long name as well as their short name, in any case and spacing, and links each once', async () => {
    const deps = memoryDeps(events());
    const registration = await registerAndConfirm(deps, deps.transport.sent, registrationBody({ events: ['  HACKNEY   marshes PARKRUN ', 'Bushy', 'bushy parkrun'] }));
    expect(registration.eventShortNames).toEqual(['hackney-marshes', 'bushy']);
    expect([...deps.partnerships.links.values()].map((l) => l.eventShortName).sort()).toEqual(['bushy', 'hackney-marshes']);
  });

  it('suggests up to three of the closest event names for a name it cannot find', async () => {
    const deps = memoryDeps([...events(), anEvent({ shortName: 'bushy-juniors', name: 'Bushy junior parkrun' }), anEvent({ shortName: 'brockwell', name: 'Brockwell parkrun' })]);
    const attempt = submitRegistration(deps, parseRegistrationInput(registrationBody({ events: ['bushi park', 'hackney', 'zzzzzzzz'] })));
    await expect(attempt).rejects.toMatchObject({
      suggestions: { 'bushi park': ['Bushy parkrun'], hackney: ['Hackney Marshes parkrun'], zzzzzzzz: [] },
    });
    await expect(attempt).rejects.toThrow('Unknown parkrun events: bushi park (did you mean Bushy parkrun?); hackney (did you mean Hackney Marshes parkrun?); zzzzzzzz');
    expect(deps.partnerships.registrations).toHaveLength(0);
  });

  it('refuses an event that has gone from parkrun\'s feed, and suggests only events still in it', async () => {
    const gone = anEvent({ shortName: 'oldpark', name: 'Old Park parkrun', feed: { countryCode: 97, seriesId: 1, inFeed: false, leftFeedAt: '2026-01-01T00:00:00.000Z' } });
    const deps = memoryDeps([...events(), gone]);
    await expect(submitRegistration(deps, parseRegistrationInput(registrationBody({ events: ['Old Park parkrun'] })))).rejects.toThrow('No longer a parkrun event: oldpark');
    await expect(submitRegistration(deps, parseRegistrationInput(registrationBody({ events: ['oldpark'] })))).rejects.toMatchObject({ gone: ['oldpark'] });
    await expect(submitRegistration(deps, parseRegistrationInput(registrationBody({ events: ['old park'] })))).rejects.toMatchObject({ suggestions: { 'old park': [] } });
    expect(deps.partnerships.registrations).toHaveLength(0);
  });

  it('refuses a link the practice already has, naming nothing, and creates nothing new', async () => {
    const deps = memoryDeps(events());
    await registerAndConfirm(deps, deps.transport.sent, registrationBody());
    const again = submitRegistration(deps, parseRegistrationInput(registrationBody({ events: ['hackney-marshes', 'bushy'] })));
    await expect(again).rejects.toBeInstanceOf(LinkAlreadyExistsError);
    await expect(again).rejects.toThrow('This practice is linked with that event already, so nothing was changed.');
    expect(((await again.catch((e: unknown) => e)) as Error).message).not.toMatch(/bushy|A81001|Bushy/);
    expect(deps.partnerships.registrations).toHaveLength(1);
    expect(deps.partnerships.links.size).toBe(1);
  });
});

describe('introduce registration', () => {
  /** Registered and confirmed by the champion; the confirmation request is not counted below. */
  async function registered(body = registrationBody({ events: ['bushy', 'hackney-marshes'] })) {
    const deps = memoryDeps(events());
    const registration = await registerAndConfirm(deps, deps.transport.sent, body);
    deps.transport.sent.length = 0;
    return { deps, registration };
  }

  it("emails each event's directors the practice's contact, and the champion the directors'", async () => {
    const { deps, registration } = await registered();
    const result = await introduceRegistration(deps, registration);
    expect(result.emails.map((e) => [e.to, e.template, e.outcome])).toEqual([
      ['sarah@parkrun.example', 'intro-event-team', 'sent'],
      ['tom@parkrun.example', 'intro-event-team', 'sent'],
      ['priya@parkrun.example', 'intro-event-team', 'sent'],
      ['jane.smith@nhs.example', 'intro-practice', 'sent'],
    ]);
    const [toSarah, , toPriya, toChampion] = deps.transport.sent;
    expect(toSarah?.subject).toBe('Riverside Surgery has linked with Bushy parkrun');
    expect(toSarah?.text).toContain('Dr Jane Smith, GP\njane.smith@nhs.example\n020 7946 0000');
    expect(toSarah?.text).toContain('Saturday 28 November');
    expect(toPriya?.subject).toBe('Riverside Surgery has linked with Hackney Marshes parkrun');
    expect(toChampion?.subject).toBe('Meet your parkrun team at Bushy parkrun and Hackney Marshes parkrun');
    expect(toChampion?.text).toContain('Event director: Sarah Okafor, sarah@parkrun.example');
    expect(toChampion?.text).toContain('Event director: Priya Shah, priya@parkrun.example');
    expect(toChampion?.text).toContain('What to do next');
  });

  it('moves the links to introduced', async () => {
    const { deps, registration } = await registered();
    await introduceRegistration(deps, registration);
    expect([...deps.partnerships.links.values()].map((l) => l.status)).toEqual(['introduced', 'introduced']);
  });

  it('sends nothing more when run again for the same registration', async () => {
    const { deps, registration } = await registered();
    await introduceRegistration(deps, registration);
    const again = await introduceRegistration(deps, registration);
    expect(again.emails.every((e) => e.outcome === 'already-sent')).toBe(true);
    expect(deps.transport.sent).toHaveLength(4);
  });

  it('finishes the job after a failure part way, sending only what was missing', async () => {
    const { deps, registration } = await registered();
    const original = deps.transport.send.bind(deps.transport);
    let calls = 0;
    deps.transport.send = async (email) => {
      if (++calls === 3) throw new Error('SES 503');
      return original(email);
    };
    await expect(introduceRegistration(deps, registration)).rejects.toThrow('SES 503');
    expect([...deps.partnerships.links.values()].map((l) => l.status)).toEqual(['registered', 'registered']);
    await introduceRegistration(deps, registration);
    // The emails go out side by side, so which one failed decides the order: each once is what counts.
    expect(deps.transport.sent.map((e) => e.to).sort()).toEqual(['jane.smith@nhs.example', 'priya@parkrun.example', 'sarah@parkrun.example', 'tom@parkrun.example']);
  });

  it('asks the champion on record, never the form, when someone registers the practice again for another event, and keeps them', async () => {
    const { deps, registration } = await registered(registrationBody({ events: ['bushy'] }));
    await introduceRegistration(deps, registration);
    const pending = await submitRegistration(
      deps,
      parseRegistrationInput(
        registrationBody({ events: ['hackney-marshes'], practiceName: 'Totally Legit Surgery', champion: { name: 'Mallory', role: 'GP', email: 'mallory@evil.example' } }),
      ),
    );
    await sendConfirmationRequest(deps, pending);
    const ask = deps.transport.sent.at(-1)!;
    expect([ask.to, ask.subject]).toEqual(['jane.smith@nhs.example', 'Confirm your parkrun practice registration']);
    expect(ask.text).toContain('Someone asked to link Riverside Surgery, where you are the parkrun practice contact, with Hackney Marshes parkrun.');
    expect(deps.transport.sent.map((e) => e.to)).not.toContain('mallory@evil.example');
    expect(deps.partnerships.links.has('A81001#hackney-marshes')).toBe(false);
    // Only the champion on record's confirmation adds the link.
    const second = await registerAndConfirmPending(deps, pending);
    await introduceRegistration(deps, second);
    expect(deps.partnerships.practices.get('A81001')?.champion.email).toBe('jane.smith@nhs.example');
    const later = deps.transport.sent.slice(4);
    // The two introductions go at the same moment, in either order.
    expect(later.map((e) => e.to).sort()).toEqual(['jane.smith@nhs.example', 'priya@parkrun.example']);
    const toDirector = later.find((e) => e.to === 'priya@parkrun.example');
    expect(toDirector?.text).toContain('Dr Jane Smith, GP');
    expect(later.map((e) => e.text).join('\n')).not.toContain('mallory');
    expect(toDirector?.subject).toBe('Riverside Surgery has linked with Hackney Marshes parkrun');
  });

  it('tells the champion when an event has no director on record yet', async () => {
    const { deps, registration } = await registered(registrationBody({ events: ['colwick'] }));
    await introduceRegistration(deps, registration);
    expect(deps.transport.sent.map((e) => e.to)).toEqual(['jane.smith@nhs.example']);
    expect(deps.transport.sent[0]?.text).toContain("We do not have an event director's address for Colwick parkrun yet");
  });
});

describe('input that only looks valid', () => {
  it('refuses built-in object names as answers, and days that do not exist', async () => {
    const { parseActivities, parseInTouch } = await import('../../functions/core/policies/link-action-input.js');
    expect(() => parseInTouch({ how: 'toString' }, '2026-11-22')).toThrow('Invalid input: how');
    expect(() => parseInTouch({ how: 'constructor' }, '2026-11-22')).toThrow('Invalid input: how');
    expect(() => parseActivities({ 'flyers-posters': '__proto__' })).toThrow('Invalid input: flyers-posters');
    expect(() => parseInTouch({ contactedOn: '2026-02-31' }, '2026-11-22')).toThrow('Invalid input: contactedOn');
    expect(parseInTouch({ contactedOn: '2024-02-29' }, '2024-11-22')).toEqual({ contactedOn: '2024-02-29' });
  });

  it('needs no staff count for a takeover that did not go ahead, and a count of 0 to 200 for one that did', async () => {
    const { parseTakeoverOutcome } = await import('../../functions/core/policies/link-action-input.js');
    expect(parseTakeoverOutcome({ happened: 'no', staffVolunteered: '', again: 'yes' })).toEqual({ happened: false, staffVolunteered: 0, wouldDoAgain: true });
    expect(parseTakeoverOutcome({ happened: 'no', staffVolunteered: '3', again: 'no' })).toEqual({ happened: false, staffVolunteered: 3, wouldDoAgain: false });
    expect(() => parseTakeoverOutcome({ happened: 'yes', staffVolunteered: '', again: 'yes' })).toThrow(ValidationError);
    expect(() => parseTakeoverOutcome({ happened: 'no', staffVolunteered: 'lots' })).toThrow(ValidationError);
    expect(() => parseTakeoverOutcome({ happened: 'yes', staffVolunteered: '201' })).toThrow(ValidationError);
  });

  it('pauses by calendar month without running into the month after', async () => {
    const { pauseUntil } = await import('../../functions/core/use-cases/link-actions.js');
    expect(pauseUntil(new Date('2027-01-31T10:00:00Z'), 1).toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(pauseUntil(new Date('2027-11-30T10:00:00Z'), 3).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(pauseUntil(new Date('2027-05-15T10:00:00Z'), 1, '2027-06-10T00:00:00Z').toISOString()).toBe('2027-07-10T00:00:00.000Z');
  });
});

describe('who may give an answer', () => {
  it('refuses a token whose role may not give that answer, even for the right link', async () => {
    const { authoriseAnswer } = await import('../../functions/core/use-cases/token-access.js');
    const deps = memoryDeps(events());
    await registerAndConfirm(deps, deps.transport.sent, registrationBody());
    await deps.partnerships.markIntroduced({ practiceCode: 'A81001', eventShortName: 'bushy', initialContact: 'practice' }, deps.clock.now(), deps.clock.now());
    const issue = (role: 'champion' | 'event-director', recipient: string) =>
      deps.tokens.issue({ purpose: 'takeover-accept', subject: 'A81001.bushy', recipient, role, expiresAt: new Date('2027-01-01T00:00:00Z') }, deps.clock.now());
    const asChampion = await issue('champion', 'jane.smith@nhs.example');
    await expect(authoriseAnswer(deps, { linkId: 'A81001.bushy', purpose: 'takeover-accept', token: asChampion })).rejects.toMatchObject({ problem: 'wrong-link' });
    const asDirector = await issue('event-director', 'sarah@parkrun.example');
    await expect(authoriseAnswer(deps, { linkId: 'A81001.bushy', purpose: 'takeover-accept', token: asDirector })).resolves.toMatchObject({ grant: { role: 'event-director' } });
  });
});
