/** Builders for test data: each call returns a fresh object, so no test can change another's. */
import type { ParkrunEvent } from '../../functions/core/model.js';
import type { IntroEventTeamView } from '../../templates/intro-event-team.js';

export function anEvent(overrides: Partial<ParkrunEvent> = {}): ParkrunEvent {
  return {
    shortName: 'bushy',
    name: 'Bushy parkrun',
    country: 'England',
    region: 'London',
    timeZone: 'Europe/London',
    startTime: '09:00',
    weekday: 6,
    eventDirectors: [
      { name: 'Sarah Okafor', email: 'sarah@parkrun.example' },
      { name: 'Tom Whitley', email: 'tom@parkrun.example' },
    ],
    ...overrides,
  };
}

export function registrationBody(overrides: Record<string, unknown> = {}) {
  return {
    practiceCode: 'A81001',
    practiceName: 'Riverside Surgery',
    postcode: 'TW11 0AA',
    champion: { name: 'Dr Jane Smith', role: 'GP', email: 'jane.smith@nhs.example', phone: '020 7946 0000' },
    events: ['bushy'],
    contactedEventTeam: false,
    ...overrides,
  };
}

/** A Monday morning, inside every reader's window: local stacks started here send mail at once rather than holding it. */
export const workingMonday = new Date('2026-11-23T10:00:00Z');

/** The event team's introduction to a practice, as the mailer is handed it, with placeholder links. */
export function anIntroEventTeamView(overrides: Partial<IntroEventTeamView> = {}): IntroEventTeamView {
  return {
    directorName: 'Sarah',
    eventName: 'Bushy parkrun',
    practiceName: 'Riverside Surgery',
    practiceCode: 'A81001',
    practicePostcode: 'TW11 0AA',
    championName: 'Dr Jane Smith',
    championRole: 'GP',
    championEmail: 'jane@nhs.example',
    contactedEventTeam: false,
    nextEventDate: 'Saturday 28 November',
    mailtoChampion: 'mailto:jane%40nhs.example',
    answers: { inTouchUrl: 'x', activitiesUrl: 'x', pause1Url: 'x', pause3Url: 'x' },
    firstTimerContactUrl: 'x',
    ...overrides,
  };
}
