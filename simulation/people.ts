/**
 * Simulated people reading their email. Each reads what arrived, decides with the
 * probabilities in Behaviour whether to answer, and answers as a person would: by
 * opening a link from the email and sending the form on the page it shows, over HTTP,
 * through the real API. Champions answer on weekday mornings, directors and volunteers
 * in the evening, any day (the way volunteers fit it in).
 */
import type { MailboxMessage } from '../local/mailbox.js';
import type { Behaviour } from './options.js';
import { volunteerEmail, type SimPractice, type World } from './world.js';

export type Actor = 'champion' | 'event-director' | 'volunteer';

export interface PlannedAnswer {
  actor: Actor;
  /** The simulated day (0 = the first) on or after which they answer. */
  onDay: number;
  /** What they do, for the report: `in-touch`, `takeover-propose`, … */
  kind: string;
  url: string;
  /** Picks the form on the page (a field or value only that form has) and fills it in; undefined = leave the page. */
  form: (page: string) => { has: string; fields: Record<string, string | string[]> } | undefined;
  /** Set for a reply by email: sent over SMTP to the email's Reply-To, not a page opened (`url` is then `mailto:` it). */
  reply?: { from: string; to: string; subject: string; inReplyTo?: string; words: string };
}

/** What people write back: a line or two, as they would from a phone. */
const replyLines = [
  'Lovely to hear from you, come and say hello at the finish funnel on Saturday.',
  'Thanks! We will put it in the practice newsletter and see who we can bring along.',
  'Great, a few of us are hoping to come down next month. Who should we look out for?',
  'Thank you, passed on to the team. We are keen to keep this going.',
];

interface FoundLink {
  purpose: string;
  url: string;
  /** The link id (`S10001.sim-event-3`) or, for a volunteer, the event. */
  subject: string;
}

/** Every link in an email's text, by what it is for. */
export function linksIn(message: MailboxMessage, baseUrl: string): FoundLink[] {
  const found: FoundLink[] = [];
  const escaped = baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`${escaped}(/(links|first-timers|unsubscribe|registrations)/[^\\s)>"]+)`, 'g');
  for (const match of message.text.matchAll(pattern)) {
    const url = `${baseUrl}${match[1]}`;
    const parts = match[1]!.split('?')[0]!.split('/').filter(Boolean);
    if (parts[0] === 'links' && parts.length === 4) found.push({ purpose: parts[2]!, url, subject: parts[1]! });
    else if (parts[0] === 'first-timers' && parts.length === 3) found.push({ purpose: 'first-timer-volunteer', url, subject: parts[1]! });
    else if (parts[0] === 'unsubscribe' && parts.length === 2) found.push({ purpose: 'unsubscribe', url, subject: '' });
    else if (parts[0] === 'registrations' && parts.length === 4) found.push({ purpose: 'registration-confirm', url, subject: parts[1]! });
  }
  return found;
}

/** Values of one field's choices on a page: checkboxes, radios, or a select's options. */
export function choicesOf(page: string, field: string): string[] {
  const inputs = [...page.matchAll(new RegExp(`<input[^>]*name="${field}"[^>]*value="([^"]*)"`, 'g'))].map((m) => m[1]!);
  const select = page.match(new RegExp(`<select[^>]*name="${field}"[^>]*>([\\s\\S]*?)</select>`));
  const options = select ? [...select[1]!.matchAll(/<option[^>]*value="([^"]+)"/g)].map((m) => m[1]!) : [];
  return [...inputs, ...options];
}

/** Most answer within a day or two of reading; a few take most of a week. */
function delayDays(random: () => number): number {
  return Math.min(6, Math.floor(-Math.log(1 - random()) * 1.5));
}

export class People {
  private readonly practiceByCode: Map<string, SimPractice>;
  /** Whether each takeover (by link and day) went ahead, once drawn. */
  private readonly happened = new Map<string, boolean>();

  constructor(
    private readonly world: World,
    private readonly behaviour: Behaviour,
    private readonly random: () => number,
    private readonly baseUrl: string,
  ) {
    this.practiceByCode = new Map(world.practices.map((p) => [p.code, p]));
  }

  /** What the reader of `message` will do about it, if anything. */
  read(message: MailboxMessage, today: number): PlannedAnswer[] {
    const to = message.to[0] ?? '';
    const person = this.world.people.get(to);
    const actor: Actor | undefined = person?.role ?? (to.startsWith('first-timers.') ? 'volunteer' : undefined);
    if (!actor) return [];
    const links = linksIn(message, this.baseUrl);
    const chance = (p: number) => this.random() < p;
    const plan = (kind: string, link: FoundLink, form: PlannedAnswer['form']): PlannedAnswer => ({ actor, onDay: today + delayDays(this.random), kind, url: link.url, form });
    const find = (purpose: string) => links.find((l) => l.purpose === purpose);
    const answers: PlannedAnswer[] = [];
    // Pressing Reply instead of "We're in touch": only where the email carries the link's own reply address.
    const replyAddress = message.replyTo[0]?.startsWith('reply+') ? message.replyTo[0] : undefined;
    const inTouchOrReply = (link: FoundLink): PlannedAnswer => {
      if (!replyAddress || !chance(this.behaviour.replyRate)) return plan('in-touch', link, () => ({ has: 'name="contactedOn"', fields: {} }));
      const words = replyLines[Math.floor(this.random() * replyLines.length)]!;
      return {
        ...plan('reply', link, () => undefined),
        url: `mailto:${replyAddress}`,
        reply: { from: to, to: replyAddress, subject: `Re: ${message.subject}`, ...(message.headers['Message-ID'] ? { inReplyTo: message.headers['Message-ID'] } : {}), words },
      };
    };

    const unsubscribe = find('unsubscribe');
    if (unsubscribe && chance(this.behaviour.unsubscribeRate)) {
      return [plan('unsubscribe', unsubscribe, () => ({ has: 'method="post"', fields: {} }))];
    }

    if (actor === 'volunteer') {
      const confirm = find('first-timer-volunteer');
      if (confirm && chance(this.behaviour.volunteerConfirmRate)) answers.push(plan('first-timer-confirm', confirm, (page) => (page.includes('value="confirm"') ? { has: 'value="confirm"', fields: {} } : undefined)));
      return answers;
    }

    const confirm = find('registration-confirm');
    if (actor === 'champion' && confirm) {
      // The champion who just filled in the form: most confirm at once, some later, a few never.
      const roll = this.random();
      if (roll >= this.behaviour.confirmAtOnceRate + this.behaviour.confirmLaterRate) return [];
      const later = roll >= this.behaviour.confirmAtOnceRate ? 1 + Math.floor(this.random() * 3) : 0;
      return [{ actor, onDay: today + later, kind: 'registration-confirm', url: confirm.url, form: (page) => (page.includes('Confirm the registration') ? { has: 'method="post"', fields: {} } : undefined) }];
    }

    if (actor === 'champion') {
      const first = links.find((l) => l.subject.includes('.'));
      const practice = first ? this.practiceByCode.get(first.subject.split('.')[0]!) : undefined;
      const rate = practice ? this.behaviour.answerRate[practice.habit] : 0;
      if (!chance(rate)) return [];
      const outcome = find('takeover-outcome');
      const roles = find('takeover-roles');
      const propose = find('takeover-propose');
      const feedback = find('feedback');
      const inTouch = find('in-touch');
      if (outcome) {
        answers.push(plan('takeover-outcome', outcome, this.outcomeForm(outcome)));
      } else if (roles) {
        answers.push(plan('takeover-roles', roles, (page) => (choicesOf(page, 'filled').length ? { has: 'name="filled"', fields: { filled: chance(0.6) ? 'all' : 'most' } } : undefined)));
      } else if (propose) {
        if (chance(this.behaviour.takeoverOpenRate)) {
          answers.push(
            plan('takeover-propose', propose, (page) => {
              const dates = choicesOf(page, 'dates');
              if (dates.length === 0) return undefined;
              const chosen = dates.filter(() => this.random() < 0.3).slice(0, 3);
              return { has: 'name="dates"', fields: { dates: chosen.length ? chosen : [dates[Math.floor(this.random() * dates.length)]!] } };
            }),
          );
        } else {
          const notThisYear = find('takeover-not-this-year');
          if (notThisYear && chance(0.5)) answers.push(plan('takeover-not-this-year', notThisYear, () => ({ has: 'method="post"', fields: {} })));
        }
      } else if (feedback) {
        const known = chance(this.behaviour.patientsKnownRate);
        const suggested = Math.floor(this.random() * 12) + (known ? 1 : 0);
        const attended = known ? 1 + Math.floor(this.random() * Math.min(suggested, 4)) : 0;
        const staff = ['walked', 'ran', 'volunteered'].filter(() => this.random() < 0.3);
        answers.push(plan('feedback', feedback, () => ({ has: 'name="suggested"', fields: { suggested: String(suggested), attended: String(attended), ...(staff.length ? { staff } : {}) } })));
        const newcomers = find('newcomers');
        if (newcomers && known && chance(0.25)) {
          answers.push(
            plan('newcomers', newcomers, (page) => {
              const days = choicesOf(page, 'date');
              return days.length ? { has: 'name="count"', fields: { action: 'plan', date: days[Math.floor(this.random() * Math.min(days.length, 6))]!, count: String(1 + Math.floor(this.random() * 4)) } } : undefined;
            }),
          );
        }
      } else if (inTouch) {
        answers.push(inTouchOrReply(inTouch));
      }
      return answers;
    }

    // An event director: offers and asks first, then how takeovers went, then whichever quiet links they know about.
    const rate = this.behaviour.directorAnswerRate;
    const accept = find('takeover-accept');
    const naming = find('first-timer-contact');
    if (accept && chance(Math.min(0.95, rate * 2.5))) {
      answers.push(
        plan('takeover-accept', accept, (page) => {
          const dates = choicesOf(page, 'date');
          return dates.length ? { has: 'name="date"', fields: { date: dates[0]! } } : undefined;
        }),
      );
    }
    if (naming && chance(rate)) {
      const event = naming.subject.split('.').slice(1).join('.');
      answers.push(plan('first-timer-contact', naming, () => ({ has: 'name="firstName"', fields: { firstName: 'Sam', whereToFind: 'by the finish funnel in a pink First Timers vest from 08:45', email: volunteerEmail(event) } })));
    }
    // A director was there on the day: their digest's "how did it go?" is as easy for them.
    for (const link of links.filter((l) => l.purpose === 'takeover-outcome')) {
      if (chance(rate)) answers.push(plan('takeover-outcome', link, this.outcomeForm(link)));
    }
    for (const link of links.filter((l) => l.purpose === 'in-touch')) {
      if (chance(rate)) answers.push(inTouchOrReply(link));
    }
    return answers;
  }

  /**
   * The "how did it go?" form. Whether a takeover happened belongs to the takeover, not to
   * who answers: it is drawn once per link and day (the page's heading names the day), so a
   * champion and a director answering the same takeover tell the same story.
   */
  private outcomeForm(link: FoundLink): PlannedAnswer['form'] {
    return (page) => {
      if (!page.includes('name="happened"')) return undefined;
      const key = `${link.subject} ${page.match(/How did the takeover on ([^<]+?) go\?/)?.[1] ?? ''}`;
      let happened = this.happened.get(key);
      if (happened === undefined) {
        happened = this.random() < this.behaviour.takeoverHappensRate;
        this.happened.set(key, happened);
      }
      return { has: 'name="happened"', fields: { happened: happened ? 'yes' : 'no', staffVolunteered: happened ? String(4 + Math.floor(this.random() * 12)) : '', again: this.random() < 0.7 ? 'yes' : 'no' } };
    };
  }
}
