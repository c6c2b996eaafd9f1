/**
 * The local stack for end-to-end tests, with a DynamoDB Local of its own, as `npm start`
 * has. Sharing the run's one DynamoDB Local (`startLocalStack({ dynamoEndpoint })`) was
 * tried: in CI the end-to-end files then ran two to five times slower (the tour 54 s ->
 * 305 s), after the earlier files' tables had come and gone on it.
 */
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/local-stack.js';

export function startTestStack(options: Omit<LocalStackOptions, 'dynamoEndpoint'>): Promise<LocalStack> {
  return startLocalStack(options);
}
