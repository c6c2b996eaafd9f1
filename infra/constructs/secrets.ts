import { SecretValue, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface SecretsProps {
  /** The addresses the head-office allow-list is deployed with (the `headOfficeAllowlist` setting). */
  readonly headOfficeAllowlist: readonly string[];
}

/** Secrets the functions read at cold start (the token key) or as they run (the head-office allow-list). */
export class Secrets extends Construct {
  /** HMAC key for magic-link tokens: only keyed hashes of tokens are stored in the table. */
  readonly tokenKey: Secret;
  /**
   * Who may sign in to the head-office dashboard, one address per line. Not a credential: it is
   * a secret so head office can be changed without a deploy (the API re-reads it every 5 minutes).
   */
  readonly headOfficeAllowlist: Secret;

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    this.tokenKey = new Secret(this, 'TokenKey', {
      description: 'HMAC key for magic-link token hashes (parkrun practice nudges)',
      generateSecretString: {
        passwordLength: 64,
        // Alphanumerics only: the value is used as-is as a key and never needs escaping.
        excludePunctuation: true,
        includeSpace: false,
      },
    });
    Validations.of(this.tokenKey.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The table stores only keyed hashes of outstanding magic-link tokens; rotating the key would silently invalidate every link already emailed. Rotation is a planned manual operation (dual-key verification), not a scheduled one.',
    });

    this.headOfficeAllowlist = new Secret(this, 'HeadOfficeAllowlist', {
      description: 'Addresses that may sign in to the head-office dashboard, one per line (parkrun practice nudges)',
      // In the template as plain text, which is safe because addresses are not credentials. An edit made
      // in the console lasts until a deploy changes the headOfficeAllowlist setting, which then replaces it.
      secretStringValue: SecretValue.unsafePlainText(props.headOfficeAllowlist.join('\n')),
    });
    Validations.of(this.headOfficeAllowlist.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A list of email addresses allowed to sign in to the head-office dashboard, not a credential: there is nothing to rotate. It is edited by hand when head office staff change, and the API re-reads it every 5 minutes.',
    });
  }
}
