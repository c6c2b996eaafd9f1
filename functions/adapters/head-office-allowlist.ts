/**
 * Who may sign in to the head-office dashboard. In AWS the list lives in Secrets Manager
 * (one address per line, or comma-separated) and is re-read at most every 5 minutes, so
 * adding or removing someone takes effect without a deploy; locally it is configuration.
 */
import type { AllowlistSource } from '../config.js';
import type { Clock, HeadOfficeAllowlist } from '../core/ports.js';
import { SecretsManagerReader, type SecretReader } from './secrets-manager.js';
import { log } from '../log.js';

const refreshMs = 5 * 60_000;

export const parseAllowlist = (text: string) =>
  text
    .split(/[,\s]+/)
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a.includes('@'));

export class ConfiguredAllowlist implements HeadOfficeAllowlist {
  private cached: { addresses: Set<string>; at: number } | undefined;

  /**
   * `secrets` defaults to a Secrets Manager reader made on the first read: it needs an AWS
   * region, which the local form of the config (a list of addresses) has no reason to set.
   */
  constructor(
    private readonly source: AllowlistSource,
    private readonly clock: Clock,
    private secrets?: SecretReader,
  ) {}

  async includes(email: string): Promise<boolean> {
    return (await this.addresses()).has(email.trim().toLowerCase());
  }

  private async addresses(): Promise<Set<string>> {
    if ('addresses' in this.source) return new Set(this.source.addresses);
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.at < refreshMs) return this.cached.addresses;
    this.secrets ??= new SecretsManagerReader();
    const text = await this.secrets.readSecretString(this.source.secretArn);
    const addresses = new Set(parseAllowlist(text ?? ''));
    // As deployed, before head office has set it (infra/constructs/secrets.ts): nobody may
    // sign in, which is what the placeholder says. Not an error: a sign-in request then
    // would fail, be retried and land among the failures, for a list nobody has set yet.
    if (addresses.size === 0) log.warn('The head-office allow-list lists nobody: nobody may sign in until it is set (docs/operations.md)', { secretArn: this.source.secretArn });
    this.cached = { addresses, at: now };
    return addresses;
  }
}
