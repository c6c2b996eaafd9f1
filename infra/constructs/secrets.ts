import { Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Secrets the functions read at cold start. */
export class Secrets extends Construct {
  /** HMAC key for magic-link tokens: only keyed hashes of tokens are stored in the table. */
  readonly tokenKey: Secret;

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
    });
    Validations.of(this.tokenKey.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The table stores only keyed hashes of outstanding magic-link tokens; rotating the key would silently invalidate every link already emailed. Rotation is a planned manual operation (dual-key verification), not a scheduled one.',
    });
  }
}
