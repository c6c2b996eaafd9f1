import { describe, expect, it } from 'vitest';
import { LinkAlreadyExistsError, UnknownEventError } from '../../functions/core/errors.js';
import { parseRegistrationInput } from '../../functions/core/policies/registration-input.js';
import { introduceRegistration } from '../../functions/core/use-cases/introduce-registration.js';
import { submitRegistration } from '../../functions/core/use-cases/submit-registration.js';
import { anEvent, registrationBody } from '../support/fixtures.js';
import { memoryDeps } from '../support/memory-ports.js';

const events = () => [
  anEvent(),
  anEvent({ shortName: 'hackney-marshes', name: 'Hackney Marshes parkrun', eventDirectors: [{ name: 'Priya Shah', email: 'priya@parkrun.example' }] }),
  anEvent({ shortName: 'colwick', name: 'Colwick parkrun', eventDirectors: [] }),
];

describe('submit registration', () => {
  it('stores the registration with a registered link per event', async () => {
    const deps = memoryDeps(events());
    const registration = await submitRegistration(deps, parseRegistrationInput(registrationBody({ events: ['bushy', 'hackney-marshes'] })));
    expect(registration.submittedAt).toBe('2026-11-22T10:00:00.000Z');
    expect(deps.partnerships.registrations).toEqual([registration]);
    expect([...deps.partnerships.links.values()].map((l) => [l.eventShortName, l.status, l.initialContact])).toEqual([
      ['bushy', 'registered', 'introduction'],
      ['hackney-marshes', 'registered', 'introduction'],
    ]);
  });

  it('names every unknown event and stores nothing', async () => {
    const deps = memoryDeps(events());
    const attempt = submitRegistration(deps, parseRegistrationInput(registrationBody({ events: ['bushy', 'nowhere', 'atlantis'] })));
    await expect(attempt).rejects.toEqual(new UnknownEventError(['nowhere', 'atlantis']));
    expect(deps.partnerships.registrations).toHaveLength(0);
  });

  it('refuses a link the practice already has, and creates nothing new', async () => {
    const deps = memoryDeps(events());
    await submitRegistration(deps, parseRegistrationInput(registrationBody()));
    const again = submitRegistration(deps, parseRegistrationInput(registrationBody({ events: ['hackney-marshes', 'bushy'] })));
    await expect(again).rejects.toBeInstanceOf(LinkAlreadyExistsError);
    await expect(again).rejects.toMatchObject({ eventShortNames: ['bushy'] });
    expect(deps.partnerships.registrations).toHaveLength(1);
    expect(deps.partnerships.links.size).toBe(1);
  });
});

describe('introduce registration', () => {
  async function registered(body = registrationBody({ events: ['bushy', 'hackney-marshes'] })) {
    const deps = memoryDeps(events());
    const registration = await submitRegistration(deps, parseRegistrationInput(body));
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
    expect(deps.transport.sent.map((e) => e.to)).toEqual([
      'sarah@parkrun.example',
      'tom@parkrun.example',
      'priya@parkrun.example',
      'jane.smith@nhs.example',
    ]);
  });

  it('tells the champion when an event has no director on record yet', async () => {
    const { deps, registration } = await registered(registrationBody({ events: ['colwick'] }));
    await introduceRegistration(deps, registration);
    expect(deps.transport.sent.map((e) => e.to)).toEqual(['jane.smith@nhs.example']);
    expect(deps.transport.sent[0]?.text).toContain("We do not have an event director's address for Colwick parkrun yet");
  });
});
