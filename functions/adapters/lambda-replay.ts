/**
 * Runs a kept failure again in AWS: invokes its function synchronously (RequestResponse)
 * with the event it failed on, and waits for its answer. Used by `npm run cli -- failures
 * retry` with the operator's own credentials; the SDK honours AWS_ENDPOINT_URL_LAMBDA.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { outcomeOfResult, type FailureReplay, type ReplayOutcome } from '../core/failure-log.js';

export class LambdaReplay implements FailureReplay {
  constructor(private readonly lambda: LambdaClient) {}

  async invoke(target: string, event: unknown): Promise<ReplayOutcome> {
    const out = await this.lambda.send(
      new InvokeCommand({ FunctionName: target, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(event ?? {})) }),
    );
    const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
    let result: unknown;
    try {
      result = text ? JSON.parse(text) : undefined;
    } catch {
      result = text;
    }
    // The function threw (or timed out): the payload is Lambda's error object.
    if (out.FunctionError) {
      const error = (result ?? {}) as { errorType?: string; errorMessage?: string };
      const why = [error.errorType, error.errorMessage].filter(Boolean).join(': ') || (typeof result === 'string' && result) || out.FunctionError;
      return { ok: false, why };
    }
    return outcomeOfResult(result);
  }
}
