/**
 * The Lambda bundles' stand-in for `@aws-sdk/credential-provider-node`, the SDK's default
 * credential chain (infra/constructs/bundling.ts aliases it here; nothing imports this file
 * by name). In Lambda the execution role's keys are always in the environment, which is the
 * first place the default chain looks, so the chain's other links (profiles, SSO, web
 * identity, the container and instance endpoints, with the STS, SSO and sign-in clients they
 * carry) are never reached there, yet every bundle paid for parsing them at each cold start:
 * some 90 KB of the 640 KB takeover watcher. The CLI and the local stack are not bundled and
 * keep the whole chain (profiles and SSO for operators: local/cli-target.ts).
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type FromEnvInit = Parameters<typeof fromEnv>[0];

/** As the default chain's first link: the keys Lambda puts in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. */
export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);

