import { describe, expect, it } from 'vitest';
import { introEventTeam, type IntroEventTeamView } from '../../templates/intro-event-team.js';
import { renderEmail } from '../../templates/render.js';

const view = (overrides: Partial<IntroEventTeamView> = {}): IntroEventTeamView => ({
  directorName: 'Sarah',
  eventName: 'Bushy parkrun',
  practiceName: 'Riverside Surgery',
  practiceCode: 'A81001',
  practicePostcode: 'TW11 0AA',
  championName: "Dr Siobhan O'Brien",
  championRole: 'GP',
  championEmail: 'siobhan@nhs.example',
  contactedEventTeam: false,
  nextEventDate: 'Saturday 28 November',
  mailtoChampion: 'mailto:siobhan%40nhs.example',
  answers: {
    inTouchUrl: 'https://nudges.test/links/A81001.bushy/in-touch/t1',
    activitiesUrl: 'https://nudges.test/links/A81001.bushy/activities/t2',
    pause1Url: 'https://nudges.test/links/A81001.bushy/pause/t3?months=1',
    pause3Url: 'https://nudges.test/links/A81001.bushy/pause/t4?months=3',
    handOverUrl: 'https://nudges.test/links/A81001.bushy/hand-over/t5',
  },
  firstTimerContactUrl: 'https://nudges.test/links/A81001.bushy/first-timer-contact/t6',
  ...overrides,
});
const layout = {
  unsubscribeUrl: 'https://nudges.test/unsubscribe/abc',
  preferencesUrl: 'https://nudges.test/preferences/abc',
  reason: 'You get this as an event director.',
};

describe('email rendering', () => {
  it('escapes a hostile practice name in the HTML part', () => {
    const email = renderEmail(introEventTeam, view({ practiceName: '<script>alert(1)</script>' }), layout);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;&#x2F;script&gt;');
  });

  it('shows template syntax in a value as text, never runs it', () => {
    const email = renderEmail(introEventTeam, view({ practiceName: '{{unsubscribeUrl}} {{> answers}}' }), layout);
    expect(email.html).toContain('<strong>{{unsubscribeUrl}} {{&gt; answers}}</strong>');
    expect(email.text).toContain('{{unsubscribeUrl}} {{> answers}} (TW11 0AA) has just registered');
    expect(email.subject).toBe('{{unsubscribeUrl}} {{> answers}} has linked with Bushy parkrun');
  });

  it('leaves the text part as plain text, unescaped', () => {
    const email = renderEmail(introEventTeam, view(), layout);
    expect(email.text).toContain("Dr Siobhan O'Brien, GP");
    expect(email.text).toContain('Choose which emails you get, or stop them: https://nudges.test/preferences/abc');
  });

  it('keeps the subject on one line whatever a value holds', () => {
    const email = renderEmail(introEventTeam, view({ practiceName: 'Surgery\r\nBcc: all@example.org' }), layout);
    expect(email.subject).toBe('Surgery Bcc: all@example.org has linked with Bushy parkrun');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('puts the one-tap answers in both parts', () => {
    const email = renderEmail(introEventTeam, view(), layout);
    expect(email.text).toContain("We're in touch: https://nudges.test/links/A81001.bushy/in-touch/t1");
    expect(email.text).toContain('Pause for 3 months: https://nudges.test/links/A81001.bushy/pause/t4?months=3');
    expect(email.text).toContain('Hand over to a colleague: https://nudges.test/links/A81001.bushy/hand-over/t5');
    expect(email.html).toContain('href="https:&#x2F;&#x2F;nudges.test&#x2F;links&#x2F;A81001.bushy&#x2F;in-touch&#x2F;t1"');
    expect(email.html).toContain('href="https:&#x2F;&#x2F;nudges.test&#x2F;links&#x2F;A81001.bushy&#x2F;pause&#x2F;t4?months&#x3D;3"');
  });

  it('puts the preferences link and the reason in both parts', () => {
    const email = renderEmail(introEventTeam, view(), layout);
    expect(email.html).toContain('href="https:&#x2F;&#x2F;nudges.test&#x2F;preferences&#x2F;abc"');
    expect(email.html).toContain(layout.reason);
    expect(email.text).toContain(layout.reason);
  });

  it('says whether the practice has already been in touch', () => {
    expect(renderEmail(introEventTeam, view({ contactedEventTeam: true }), layout).text).toContain('already been in touch');
    expect(renderEmail(introEventTeam, view({ contactedEventTeam: false }), layout).text).toContain('this email is their introduction');
  });
});
