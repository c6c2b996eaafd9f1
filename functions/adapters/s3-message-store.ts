/**
 * The received replies SES stored in S3 (constructs/replies.ts), read with the SDK's client
 * configured as every AWS client of the product is (aws-clients.ts). The endpoint is the
 * SDK's (AWS_ENDPOINT_URL_S3), the region AWS_REGION.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ReceivedMessages } from '../watchers/reply-receiver-handler.js';
import { awsClientConfig, type AwsClientOptions } from './aws-clients.js';

/**
 * A stored message is at most SES's 40 MB; the per-attempt deadline covers the whole body,
 * so it is longer than for DynamoDB's answers of a few kilobytes.
 */
export const messageReadTimeoutMs = 20_000;

export class S3MessageStore implements ReceivedMessages {
  private readonly client: S3Client;

  constructor(
    private readonly bucket: string,
    options: AwsClientOptions = {},
  ) {
    this.client = new S3Client(awsClientConfig({ timeoutMs: messageReadTimeoutMs, ...options }));
  }

  async read(key: string): Promise<Buffer> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!out.Body) throw new Error(`S3 object ${key} has no body`);
    return Buffer.from(await out.Body.transformToByteArray());
  }
}
