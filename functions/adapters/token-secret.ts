/**
 * The key that link tokens are hashed with. In AWS it lives in Secrets Manager (never in
 * a plain environment value); locally it is TOKEN_SECRET.
 *
 * Rotation (docs/operations.md): a new value put into the secret becomes AWSCURRENT and
 * the old one AWSPREVIOUS. Tokens are issued with the current key and accepted when hashed
 * with either, so links already in inboxes keep working. The keys are re-read every 5
 * minutes, and at once (at most once a minute) when a token matches neither, so an
 * instance started before a rotation accepts links issued after it.
 */
import type { TokenSecretSource } from '../config.js';
import type { Clock } from '../core/ports.js';
import { SecretsManagerReader, type SecretReader } from './secrets-manager.js';

export interface TokenKeys {
  /** Issues tokens, and checks them. */
  current: string;
  /** The key before the last rotation: still checks the tokens it issued. */
  previous?: string;
}

const refreshMs = 5 * 60_000;
const missRefreshMs = 60_000;

function checked(secretArn: string, secret: string | undefined): string {
  if (!secret || secret.length < 32) {
    throw new Error(`Secret ${secretArn} is missing or shorter than 32 characters`);
  }
  return secret;
}

/**
 * `secrets` defaults to a Secrets Manager reader made only when the source is an ARN: the
 * reader needs an AWS region, which the local form of the config has no reason to set.
 */
export async function resolveTokenSecret(source: TokenSecretSource, secrets?: SecretReader): Promise<string> {
  if ('secret' in source) return source.secret;
  return checked(source.secretArn, await (secrets ?? new SecretsManagerReader()).readSecretString(source.secretArn));
}

/** The current key and, once the secret has been rotated, the previous one. */
export async function resolveTokenKeys(source: TokenSecretSource, secrets?: SecretReader): Promise<TokenKeys> {
  if ('secret' in source) return { current: source.secret, ...(source.previous ? { previous: source.previous } : {}) };
  const reader = secrets ?? new SecretsManagerReader();
  const current = checked(source.secretArn, await reader.readSecretString(source.secretArn));
  // A secret never rotated has no AWSPREVIOUS version: that is not an error. Matched by the
  // SDK exception's name, which is AWS's error type, rather than by class, so any reader will do.
  const previous = await reader.readSecretString(source.secretArn, 'AWSPREVIOUS').catch((error: unknown) => {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  });
  return { current, ...(previous && previous !== current ? { previous: checked(source.secretArn, previous) } : {}) };
}

/** The keys as they stand, re-read from their source every 5 minutes and, when asked after a miss, at most once a minute. */
export class TokenKeyring {
  private loadedAt: number;

  constructor(
    private keys: TokenKeys,
    private readonly clock: Clock,
    private readonly reload?: () => Promise<TokenKeys>,
  ) {
    this.loadedAt = clock.now().getTime();
  }

  /** Keys that never change: local runs and tests. */
  static fixed(keys: string | TokenKeys, clock: Clock = { now: () => new Date() }): TokenKeyring {
    return new TokenKeyring(typeof keys === 'string' ? { current: keys } : keys, clock);
  }

  static async fromSource(source: TokenSecretSource, clock: Clock, secrets?: SecretReader): Promise<TokenKeyring> {
    const keys = await resolveTokenKeys(source, secrets);
    return 'secret' in source ? new TokenKeyring(keys, clock) : new TokenKeyring(keys, clock, () => resolveTokenKeys(source, secrets));
  }

  /** The keys, re-read first if they are 5 minutes old. */
  async current(): Promise<TokenKeys> {
    if (this.reload && this.clock.now().getTime() - this.loadedAt >= refreshMs) await this.load();
    return this.keys;
  }

  /** The keys as they stand now, the first time in a minute a token matched neither: undefined if they have not changed. */
  async afterMiss(): Promise<TokenKeys | undefined> {
    if (!this.reload || this.clock.now().getTime() - this.loadedAt < missRefreshMs) return undefined;
    const before = this.keys;
    await this.load();
    return this.keys.current === before.current && this.keys.previous === before.previous ? undefined : this.keys;
  }

  /** One read at a time: callers that find the keys stale together share it. */
  private loading: Promise<void> | undefined;

  private load(): Promise<void> {
    this.loading ??= this.reload!()
      .then((keys) => {
        this.keys = keys;
        this.loadedAt = this.clock.now().getTime();
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }
}
