/** /register: the same registration as the JSON API, as a form a person can fill in. */
import { Hono } from 'hono';
import { DomainError, ValidationError } from '../../core/errors.js';
import { parseRegistrationInput } from '../../core/policies/registration-input.js';
import { findEventName } from '../../core/policies/event-names.js';
import { submitRegistration, type SubmitRegistrationDeps } from '../../core/use-cases/submit-registration.js';
import { statusFor } from '../error-handler.js';
import { RegisterForm, RegistrationReceived, type RegisterFormValues } from '../views/register-form.js';
import { readForm } from './answer-forms.js';
import { sourceAddressOf } from '../source-address.js';

const sourceOf = (c: Parameters<typeof sourceAddressOf>[0]) => {
  const source = sourceAddressOf(c);
  return source ? { source } : {};
};

/** Form field names differ from the JSON shape only where the JSON nests. */
const formFieldFor: Record<string, keyof RegisterFormValues> = {
  'champion.name': 'championName',
  'champion.role': 'championRole',
  'champion.email': 'championEmail',
  'champion.phone': 'championPhone',
  champion: 'championName',
};

/** The events a practice can choose: those still in parkrun's feed. */
const offered = async (deps: SubmitRegistrationDeps) => (await deps.events.eventNames()).filter((e) => e.inFeed);

export function registerPageRoutes(deps: SubmitRegistrationDeps) {
  return new Hono()
    .get('/', async (c) => {
      const events = await offered(deps);
      // ?event=bushy (or ?event=Bushy parkrun) preselects: a link from an event's own page.
      const preset = (c.req.queries('event') ?? []).flatMap((typed) => findEventName(typed, events)?.shortName ?? []);
      return c.html(<RegisterForm events={events} values={{ events: preset }} errors={{}} />);
    })
    .post('/', async (c) => {
      const form = await readForm(c);
      const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
      const events = ([] as unknown[]).concat(form.events ?? []).filter((v): v is string => typeof v === 'string');
      const values: RegisterFormValues = {
        practiceCode: text('practiceCode'),
        practiceName: text('practiceName'),
        postcode: text('postcode'),
        championName: text('championName'),
        championRole: text('championRole'),
        championEmail: text('championEmail'),
        championPhone: text('championPhone'),
        events,
        contactedEventTeam: text('contactedEventTeam'),
      };
      try {
        const registration = await submitRegistration(
          deps,
          parseRegistrationInput({
            practiceCode: values.practiceCode,
            practiceName: values.practiceName,
            postcode: values.postcode,
            champion: { name: values.championName, role: values.championRole, email: values.championEmail, phone: values.championPhone },
            events,
            contactedEventTeam: values.contactedEventTeam,
          }),
          sourceOf(c),
        );
        const known = await deps.events.getEvents(registration.eventShortNames);
        return c.html(
          <RegistrationReceived practiceName={registration.practice.name} eventNames={registration.eventShortNames.map((n) => known.get(n)?.name ?? n)} />,
          201,
        );
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const errors: Record<string, string> = {};
        if (error instanceof ValidationError) {
          for (const [field, message] of Object.entries(error.fields)) errors[formFieldFor[field] ?? field] ??= message;
        }
        return c.html(
          <RegisterForm
            events={await offered(deps)}
            values={values}
            errors={errors}
            problem={error instanceof ValidationError ? undefined : error.message}
          />,
          statusFor(error),
        );
      }
    });
}
