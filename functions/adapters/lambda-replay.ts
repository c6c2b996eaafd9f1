/**
 * Runs a kept failure again in AWS: invokes its function synchronously (RequestResponse)
 * with the event it failed on, and waits for its answer. Used by `npm run cli -- failures
 * retry` with the operator's own credentials; the SDK honours AWS_ENDPOINT_URL_LAMBDA.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { outcomeOfResult, type FailureReplay, type ReplayOutcome } from '../core/failure-log.js';
import { invokeAndRead } from './lambda-invoke.js';

export class LambdaReplay implements FailureReplay {
  constructor(private readonly lambda: LambdaClient) {}

  async invoke(target: string, event: unknown): Promise<ReplayOutcome> {
    const { answer: result, functionError } = await invokeAndRead(this.lambda, target, event ?? {});
    // The function threw (or timed out): the payload is Lambda's error object.
    if (functionError) {
      const error = (result ?? {}) as { errorType?: string; errorMessage?: string };
      const why = [error.errorType, error.errorMessage].filter(Boolean).join(': ') || (typeof result === 'string' && result) || functionError;
      return { ok: false, why };
    }
    return outcomeOfResult(result);
  }
}
