import { RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * What the head-office allow-list secret holds until head office sets it: no address, so
 * nobody can sign in yet. It is the same text on every deploy, so CloudFormation never
 * updates the value, and the list head office set (docs/operations.md) is kept.
 */
export const allowlistPlaceholder =
  'Nobody may sign in yet. Replace this text with the addresses that may sign in to the head-office dashboard, one per line (docs/operations.md).';

/** Secrets the functions read at cold start (the token key) or as they run (the head-office allow-list). */
export class Secrets extends Construct {
  /**
   * HMAC key for magic-link tokens: only keyed hashes of tokens are stored in the table.
   * Kept when the stack is deleted: a stack rebuilt on the retained table with a new key
   * would break every link already in an inbox.
   */
  readonly tokenKey: Secret;
  /**
   * Who may sign in to the head-office dashboard, one address per line. Not a credential: it is
   * a secret so head office can be changed without a deploy (the API re-reads it every 5 minutes).
   */
  readonly headOfficeAllowlist: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.tokenKey = new Secret(this, 'TokenKey', {
      description: 'HMAC key for magic-link token hashes (parkrun practice nudges)',
      generateSecretString: {
        passwordLength: 64,
        // Alphanumerics only: the value is used as-is as a key and never needs escaping.
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.tokenKey.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The table stores only keyed hashes of outstanding magic-link tokens. Rotation is a planned manual operation (docs/operations.md): a new value becomes AWSCURRENT and the old one AWSPREVIOUS, and the functions accept tokens hashed with either, so links already in inboxes keep working; a scheduled rotation every N days would retire a key while links made with it are still valid.',
    });

    this.headOfficeAllowlist = new Secret(this, 'HeadOfficeAllowlist', {
      description: 'Addresses that may sign in to the head-office dashboard, one per line (parkrun practice nudges)',
      // The placeholder holds no address, so no address is ever in the template.
      secretStringValue: SecretValue.unsafePlainText(allowlistPlaceholder),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.headOfficeAllowlist.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A list of email addresses allowed to sign in to the head-office dashboard, not a credential: there is nothing to rotate. It is edited by hand when head office staff change, and the API re-reads it every 5 minutes.',
    });
  }
}
