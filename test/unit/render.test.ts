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
  ...overrides,
});
const layout = { unsubscribeUrl: 'https://nudges.test/unsubscribe/abc', reason: 'You get this as an event director.' };

describe('email rendering', () => {
  it('escapes a hostile practice name in the HTML part', () => {
    const email = renderEmail(introEventTeam, view({ practiceName: '<script>alert(1)</script>' }), layout);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;&#x2F;script&gt;');
  });

  it('leaves the text part as plain text, unescaped', () => {
    const email = renderEmail(introEventTeam, view(), layout);
    expect(email.text).toContain("Dr Siobhan O'Brien, GP");
    expect(email.text).toContain('Stop these emails: https://nudges.test/unsubscribe/abc');
  });

  it('keeps the subject on one line whatever a value holds', () => {
    const email = renderEmail(introEventTeam, view({ practiceName: 'Surgery\r\nBcc: all@example.org' }), layout);
    expect(email.subject).toBe('Surgery Bcc: all@example.org has linked with Bushy parkrun');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('puts the unsubscribe link and the reason in both parts', () => {
    const email = renderEmail(introEventTeam, view(), layout);
    expect(email.html).toContain('href="https:&#x2F;&#x2F;nudges.test&#x2F;unsubscribe&#x2F;abc"');
    expect(email.html).toContain(layout.reason);
    expect(email.text).toContain(layout.reason);
  });

  it('says whether the practice has already been in touch', () => {
    expect(renderEmail(introEventTeam, view({ contactedEventTeam: true }), layout).text).toContain('already been in touch');
    expect(renderEmail(introEventTeam, view({ contactedEventTeam: false }), layout).text).toContain('this email is their introduction');
  });
});
