/**
 * Invokes a stream watcher's function synchronously (RequestResponse) with a stream event
 * and hands back its partial batch response: how the stream router feeds the watchers it
 * reads the stream for. The SDK honours AWS_ENDPOINT_URL_LAMBDA.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

/** The function threw, timed out or ran out of memory: Lambda's error object, as its payload said it. */
export class ConsumerFunctionError extends Error {
  constructor(
    readonly functionName: string,
    readonly functionError: string,
    readonly errorType: string | undefined,
    errorMessage: string | undefined,
  ) {
    super(`${functionName} failed (${functionError})${errorType || errorMessage ? `: ${[errorType, errorMessage].filter(Boolean).join(': ')}` : ''}`);
    this.name = 'ConsumerFunctionError';
  }
}

/** An answer that is not a partial batch response: treated as every record failed. */
export class UnexpectedConsumerAnswer extends Error {
  constructor(functionName: string, text: string) {
    super(`${functionName} answered neither nothing nor a partial batch response: ${text.slice(0, 200)}`);
    this.name = 'UnexpectedConsumerAnswer';
  }
}

/**
 * Invokes `functionName` synchronously with `event` and reads its answer: the payload as
 * JSON (or as text when it is not JSON), and Lambda's FunctionError when the function threw
 * or timed out. Shared by the stream router and the failure replay.
 */
export async function invokeAndRead(lambda: LambdaClient, functionName: string, event: unknown): Promise<{ answer: unknown; text: string; functionError?: string }> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(event)) }));
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
  let answer: unknown;
  try {
    answer = text ? JSON.parse(text) : undefined;
  } catch {
    answer = text;
  }
  return { answer, text, ...(out.FunctionError ? { functionError: out.FunctionError } : {}) };
}

/**
 * `(event) => its batch response`, calling `functionName`. Throws if the call fails or the
 * function did (a FunctionError): the caller counts every record of the event as failed.
 */
export function lambdaStreamConsumer(lambda: LambdaClient, functionName: string) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const { answer, text, functionError } = await invokeAndRead(lambda, functionName, event);
    if (functionError) {
      const error = (typeof answer === 'object' && answer !== null ? answer : {}) as { errorType?: string; errorMessage?: string };
      throw new ConsumerFunctionError(functionName, functionError, error.errorType, error.errorMessage ?? (typeof answer === 'string' ? answer : undefined));
    }
    // A handler that returns nothing handled every record (as Lambda reads it too).
    if (answer === undefined || answer === null) return { batchItemFailures: [] };
    const failures = (answer as { batchItemFailures?: unknown }).batchItemFailures;
    if (typeof answer !== 'object' || (failures !== undefined && !Array.isArray(failures))) throw new UnexpectedConsumerAnswer(functionName, text);
    return { batchItemFailures: (failures ?? []) as DynamoDBBatchResponse['batchItemFailures'] };
  };
}
