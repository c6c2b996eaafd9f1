/**
 * The mailer, counting: each email the provider accepted and the ledger recorded as sent
 * (a held email counts when it goes, not when it is held) is one count, by template.
 * Built where the Lambdas wire their dependencies; the mailer's own rules are untouched.
 */
import { Mailer, type MailerDeps, type MailerSettings, type MailRequest, type SendOutcome } from './mailer.js';
import type { Telemetry } from './ports.js';

export class CountingMailer extends Mailer {
  private readonly telemetry: Telemetry;

  constructor(deps: MailerDeps & { telemetry: Telemetry }, settings: MailerSettings) {
    super(deps, settings);
    this.telemetry = deps.telemetry;
  }

  override async send<View extends object>(request: MailRequest<View>): Promise<SendOutcome> {
    const outcome = await super.send(request);
    if (outcome === 'sent') this.telemetry.emailSent(request.template.name);
    return outcome;
  }
}
