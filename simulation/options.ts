/**
 * The simulation's settings: the programme's size, the nudging policy under test (the
 * same numbers the functions read from NUDGE_* settings), and how simulated people
 * behave. Behaviour defaults come from the event-team survey (docs/simulation.md); every one can
 * be set on the command line, so two policies (or two guesses about people) can be
 * compared side by side from one seed.
 */
import type { NudgePolicy } from '../functions/core/policies/quiet-link-ladder.js';
import { defaultNudgePolicy } from '../functions/core/policies/quiet-link-ladder.js';
import { defaultMailBudget, type MailBudget } from '../functions/core/policies/mail-budget.js';

export interface Behaviour {
  /** Links whose two sides keep in touch of their own accord (survey: 39.6% of linked events keep contact). */
  keepsContactShare: number;
  /** Links where contact has stopped altogether (survey: 33.8% keep none); the rest are in between. */
  noContactShare: number;
  /** Chance a champion answers an email that asks something, by kind of link. */
  answerRate: { keeps: number; some: number; none: number };
  /** Chance an event director answers an email (digest, takeover offer, first-timer ask). */
  directorAnswerRate: number;
  /** Chance a prompted practice offers takeover Saturdays (survey: 55.8% of events are open to one). */
  takeoverOpenRate: number;
  /** Chance a fixed takeover really happens (survey: only 16.7% done, often lost to staff pressures). */
  takeoverHappensRate: number;
  /** Chance an answered feedback ask reports patients who came (survey: 36.4% of events know patients attended). */
  patientsKnownRate: number;
  /** Chance a volunteer named as first-timer contact confirms. */
  volunteerConfirmRate: number;
  /** Chance, per email, that its reader stops that kind of email. */
  unsubscribeRate: number;
  /**
   * How champions answer "Confirm your parkrun practice registration": most at once (the
   * form has just told them to look), some a day or a few later; the rest never do.
   */
  confirmAtOnceRate: number;
  confirmLaterRate: number;
  /**
   * Chance that someone who would press "We're in touch" on an email about one link presses
   * Reply instead and writes a line (the email's Reply-To is the link's reply address). No
   * survey figure: a guess that half would, replying being what people do with email.
   */
  replyRate: number;
}

export interface SimulationOptions {
  events: number;
  practices: number;
  weeks: number;
  seed: number;
  /** Weeks over which the practices register (the launch wave). */
  registrationWeeks: number;
  policy: NudgePolicy;
  /** Each person's budget of unasked email (the UNASKED_EMAIL_EVERY_DAYS setting). */
  budget: MailBudget;
  behaviour: Behaviour;
  /** Where the HTML report goes. */
  out: string;
  /**
   * Parts the world is split into, each run by its own process on its own DynamoDB Local
   * (events and their practices never meet across parts). On this 2-core machine one part
   * is quicker: one process and one DynamoDB Local already keep both cores busy, and two
   * of each spent a fifth more CPU on the same year. More cores may favour more parts.
   */
  shards: number;
}

export const defaultBehaviour: Behaviour = {
  keepsContactShare: 0.396,
  noContactShare: 0.338,
  answerRate: { keeps: 0.8, some: 0.35, none: 0.05 },
  directorAnswerRate: 0.3,
  takeoverOpenRate: 0.558,
  takeoverHappensRate: 0.7,
  patientsKnownRate: 0.364,
  volunteerConfirmRate: 0.9,
  unsubscribeRate: 0.003,
  confirmAtOnceRate: 0.9,
  confirmLaterRate: 0.08,
  replyRate: 0.5,
};

export const defaultOptions: SimulationOptions = {
  events: 700,
  practices: 1500,
  weeks: 52,
  seed: 1,
  registrationWeeks: 4,
  policy: defaultNudgePolicy,
  budget: defaultMailBudget,
  behaviour: defaultBehaviour,
  out: 'simulation-report.html',
  shards: 1,
};

type Setter = (o: SimulationOptions, value: number) => void;
const whole = (min: number, max: number) => ({ min, max, integer: true });
const share = { min: 0, max: 1, integer: false };

/** Every flag: what it sets, its bounds, and the line `--help` prints. */
const flags: Record<string, { set: Setter; bounds: { min: number; max: number; integer: boolean }; help: string }> = {
  '--events': { set: (o, v) => (o.events = v), bounds: whole(1, 5000), help: 'parkrun events (default 700)' },
  '--practices': { set: (o, v) => (o.practices = v), bounds: whole(1, 20000), help: 'GP practices registering (default 1500)' },
  '--weeks': { set: (o, v) => (o.weeks = v), bounds: whole(1, 260), help: 'simulated weeks (default 52)' },
  '--seed': { set: (o, v) => (o.seed = v), bounds: whole(0, 2 ** 31), help: 'random seed; the same seed gives the same people (default 1)' },
  '--shards': { set: (o, v) => (o.shards = v), bounds: whole(1, 16), help: 'parts run side by side, each with its own DynamoDB Local (default 1)' },
  '--registration-weeks': { set: (o, v) => (o.registrationWeeks = v), bounds: whole(1, 52), help: 'weeks over which practices register (default 4)' },
  '--quiet-after-days': { set: (o, v) => (o.policy = { ...o.policy, quietAfterDays: v }), bounds: whole(1, 3650), help: 'policy: days without contact before a link is quiet (default 42)' },
  '--rung-spacing-days': { set: (o, v) => (o.policy = { ...o.policy, rungSpacingDays: v }), bounds: whole(1, 3650), help: 'policy: days between ladder rungs (default 14)' },
  '--at-risk-pause-days': { set: (o, v) => (o.policy = { ...o.policy, atRiskPauseDays: v }), bounds: whole(1, 3650), help: 'policy: days nudges stop once a link is at risk (default 60)' },
  '--unasked-email-every-days': { set: (o, v) => (o.budget = { ...o.budget, unaskedEveryDays: v }), bounds: whole(1, 3650), help: `budget: at most one unasked email per person in this many days; more goes in one round-up (default ${defaultMailBudget.unaskedEveryDays})` },
  '--unasked-emails-per-month': { set: (o, v) => (o.budget = { ...o.budget, unaskedPerMonth: v }), bounds: whole(1, 31), help: `budget: and at most this many in a calendar month; more waits for the next (default ${defaultMailBudget.unaskedPerMonth})` },
  '--digest-interval-days': { set: (o, v) => (o.policy = { ...o.policy, digestIntervalDays: v }), bounds: whole(1, 3650), help: `policy: at most one digest per director in this many days; a takeover offer brings it forward to 7 (default ${defaultNudgePolicy.digestIntervalDays})` },
  '--keeps-contact': { set: (o, v) => (o.behaviour = { ...o.behaviour, keepsContactShare: v }), bounds: share, help: 'people: share of links that keep contact anyway (default 0.396)' },
  '--no-contact': { set: (o, v) => (o.behaviour = { ...o.behaviour, noContactShare: v }), bounds: share, help: 'people: share of links with no contact at all (default 0.338)' },
  '--answer-keeps': { set: (o, v) => (o.behaviour = { ...o.behaviour, answerRate: { ...o.behaviour.answerRate, keeps: v } }), bounds: share, help: 'people: champions of keep-contact links answer (default 0.8)' },
  '--answer-some': { set: (o, v) => (o.behaviour = { ...o.behaviour, answerRate: { ...o.behaviour.answerRate, some: v } }), bounds: share, help: 'people: champions of in-between links answer (default 0.35)' },
  '--answer-none': { set: (o, v) => (o.behaviour = { ...o.behaviour, answerRate: { ...o.behaviour.answerRate, none: v } }), bounds: share, help: 'people: champions of no-contact links answer (default 0.05)' },
  '--reply-rate': { set: (o, v) => (o.behaviour = { ...o.behaviour, replyRate: v }), bounds: share, help: 'people: of those about to press "We\'re in touch", the share who reply by email instead (default 0.5)' },
  '--director-answers': { set: (o, v) => (o.behaviour = { ...o.behaviour, directorAnswerRate: v }), bounds: share, help: 'people: event directors answer (default 0.3)' },
  '--takeover-open': { set: (o, v) => (o.behaviour = { ...o.behaviour, takeoverOpenRate: v }), bounds: share, help: 'people: prompted practices offer Saturdays (default 0.558)' },
  '--takeover-happens': { set: (o, v) => (o.behaviour = { ...o.behaviour, takeoverHappensRate: v }), bounds: share, help: 'people: fixed takeovers that happen (default 0.7)' },
  '--patients-known': { set: (o, v) => (o.behaviour = { ...o.behaviour, patientsKnownRate: v }), bounds: share, help: 'people: feedback answers that know patients came (default 0.364)' },
  '--confirm-at-once': { set: (o, v) => (o.behaviour = { ...o.behaviour, confirmAtOnceRate: v }), bounds: share, help: 'people: champions who confirm a registration at once (default 0.9)' },
  '--confirm-later': { set: (o, v) => (o.behaviour = { ...o.behaviour, confirmLaterRate: v }), bounds: share, help: 'people: champions who confirm a day or a few later; the rest never do (default 0.08)' },
  '--unsubscribe': { set: (o, v) => (o.behaviour = { ...o.behaviour, unsubscribeRate: v }), bounds: share, help: 'people: chance per email of stopping that kind (default 0.003)' },
};

export const usage = [
  'npm run simulate -- [options]',
  '',
  ...Object.entries(flags).map(([flag, f]) => `  ${flag.padEnd(24)} ${f.help}`),
  `  ${'--out'.padEnd(24)} where the HTML report goes (default simulation-report.html)`,
].join('\n');

export class OptionError extends Error {}

/** Parses `--flag value` pairs; an unknown flag or a value out of bounds is an error, not a guess. */
export function parseOptions(args: string[]): SimulationOptions {
  const options: SimulationOptions = structuredClone(defaultOptions);
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!;
    const raw = args[i + 1];
    if (raw === undefined) throw new OptionError(`${flag} needs a value`);
    if (flag === '--out') {
      options.out = raw;
      continue;
    }
    const spec = flags[flag];
    if (!spec) throw new OptionError(`Unknown option ${flag}`);
    const value = Number(raw);
    const { min, max, integer } = spec.bounds;
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new OptionError(`${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}; got ${raw}`);
    }
    spec.set(options, value);
  }
  if (options.behaviour.keepsContactShare + options.behaviour.noContactShare > 1) {
    throw new OptionError('--keeps-contact and --no-contact together cannot be more than 1');
  }
  return options;
}
