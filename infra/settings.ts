import type { Node } from 'constructs';

/** Deployment settings, read from CDK context (defaults in cdk.json, overridden with `-c key=value`). */
export interface Settings {
  /** From header: `Display Name <address>` or a bare address. */
  readonly mailFrom: string;
  /** A bare address; replies go to a person at head office. */
  readonly mailReplyTo: string;
  /** Verified SES identity the From address sends as: its domain (or a parent domain) or the address itself. */
  readonly sesIdentity: string;
  /** Where links in emails point, without a trailing slash; absent = the HTTP API's own endpoint. */
  readonly publicBaseUrl?: string;
  /**
   * Who hears of every failure (context: comma-separated bare addresses): each is subscribed
   * to the alarm topic and must confirm the subscription from the email AWS sends.
   */
  readonly alarmEmails: readonly string[];
  /**
   * The custom MAIL FROM domain (bounces come back to it, SPF is checked against it): a
   * subdomain of the sending domain, `bounce.<sesIdentity>` unless set. Only for a domain identity.
   */
  readonly mailFromDomain?: string;
  /**
   * The domain SES receives replies on (docs/replies.md): an email about one link then has
   * Reply-To `reply+<token>@<replyDomain>`, and the stack holds the receiving parts. Absent:
   * no receiving parts, and every email's Reply-To is mailReplyTo.
   */
  readonly replyDomain?: string;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

const address = /^[^\s@<>()",;:]+@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)$/i;
const domain = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;
const displayNameAndAddress = /^([^<>\r\n"]*[^<>\s"])\s*<([^<>\s]+)>$/;

/**
 * Reads and checks every setting, reporting all problems at once, so `cdk synth` fails
 * with a message naming the context keys to fix rather than deploying broken mail.
 */
export function readSettings(node: Node): Settings {
  const problems: string[] = [];
  const text = (key: string, required: boolean): string | undefined => {
    const raw: unknown = node.tryGetContext(key);
    if (raw === undefined || raw === '') {
      if (required) problems.push(`${key}: missing (set it in cdk.json or pass -c ${key}=...)`);
      return undefined;
    }
    if (typeof raw !== 'string') {
      problems.push(`${key}: must be a string, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    if (/[\r\n]/.test(raw)) {
      problems.push(`${key}: must be a single line`);
      return undefined;
    }
    return raw.trim();
  };

  const mailFrom = text('mailFrom', true);
  const mailReplyTo = text('mailReplyTo', true);
  const sesIdentity = text('sesIdentity', true)?.toLowerCase();
  const publicBaseUrl = text('publicBaseUrl', false);
  const alarms = text('alarmEmails', true);
  const mailFromDomainSetting = text('mailFromDomain', false)?.toLowerCase();
  const replyDomain = text('replyDomain', false)?.toLowerCase();

  let fromAddress: string | undefined;
  if (mailFrom !== undefined) {
    fromAddress = displayNameAndAddress.exec(mailFrom)?.[2] ?? mailFrom;
    if (!address.test(fromAddress)) {
      problems.push(`mailFrom: "${mailFrom}" is not "Display Name <address@domain>" or a bare address`);
      fromAddress = undefined;
    }
  }
  if (mailReplyTo !== undefined && !address.test(mailReplyTo)) {
    problems.push(`mailReplyTo: "${mailReplyTo}" must be a bare address such as head.office@example.org`);
  }
  if (sesIdentity !== undefined) {
    if (!domain.test(sesIdentity) && !address.test(sesIdentity)) {
      problems.push(`sesIdentity: "${sesIdentity}" must be a domain (example.org) or an address`);
    } else if (fromAddress !== undefined) {
      const from = fromAddress.toLowerCase();
      const fromDomain = from.slice(from.lastIndexOf('@') + 1);
      const covered = sesIdentity.includes('@')
        ? from === sesIdentity
        : fromDomain === sesIdentity || fromDomain.endsWith(`.${sesIdentity}`);
      if (!covered) {
        problems.push(`sesIdentity: "${sesIdentity}" does not cover the mailFrom address ${fromAddress}; SES would refuse to send`);
      }
    }
  }
  let baseUrl: string | undefined;
  if (publicBaseUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(publicBaseUrl);
    } catch {
      problems.push(`publicBaseUrl: "${publicBaseUrl}" is not a URL`);
    }
    if (url) {
      if (url.protocol !== 'https:') problems.push(`publicBaseUrl: must use https, got "${publicBaseUrl}"`);
      if (url.search || url.hash || url.username || url.password) {
        problems.push(`publicBaseUrl: must be a plain origin or path, without query, fragment or credentials`);
      }
      baseUrl = publicBaseUrl.replace(/\/+$/, '');
    }
  }

  // An empty entry (a doubled or trailing comma) is refused too, so who is told is exactly who was typed.
  const alarmEmails = alarms?.split(',').map((entry) => entry.trim()) ?? [];
  for (const entry of alarmEmails) {
    if (!address.test(entry)) {
      problems.push(
        `alarmEmails: ${entry === '' ? 'an empty entry' : `"${entry}"`} is not an email address; give bare addresses separated by commas, such as ops@example.org,on-call@example.org`,
      );
    }
  }

  let mailFromDomain: string | undefined;
  if (sesIdentity !== undefined && domain.test(sesIdentity)) {
    mailFromDomain = mailFromDomainSetting ?? `bounce.${sesIdentity}`;
    if (!domain.test(mailFromDomain) || !mailFromDomain.endsWith(`.${sesIdentity}`)) {
      problems.push(`mailFromDomain: "${mailFromDomain}" must be a subdomain of ${sesIdentity}, such as bounce.${sesIdentity}`);
    }
  } else if (mailFromDomainSetting !== undefined) {
    problems.push('mailFromDomain: applies only when sesIdentity is a domain');
  }

  if (replyDomain !== undefined) {
    if (!domain.test(replyDomain)) {
      problems.push(`replyDomain: "${replyDomain}" must be a domain such as reply.example.org (its MX record points at SES)`);
    } else if (replyDomain === mailFromDomain) {
      // The MAIL FROM domain's MX is SES's feedback endpoint, not its inbound one: one name cannot have both.
      problems.push(`replyDomain: "${replyDomain}" is the MAIL FROM domain, whose MX takes bounces; use another, such as reply.${sesIdentity}`);
    }
  }

  if (problems.length > 0 || !mailFrom || !mailReplyTo || !sesIdentity) {
    throw new SettingsError(`Invalid deployment settings (CDK context):\n  - ${problems.join('\n  - ')}`);
  }
  return { mailFrom, mailReplyTo, sesIdentity, ...(baseUrl ? { publicBaseUrl: baseUrl } : {}), alarmEmails, ...(mailFromDomain ? { mailFromDomain } : {}), ...(replyDomain ? { replyDomain } : {}) };
}
