/**
 * `npm run cli` against AWS signs in as the AWS CLI does: the profile named by --profile or
 * AWS_PROFILE, from the operator's ~/.aws files, read by the SDK's own chain. Checked on
 * the wire against a local server standing in for DynamoDB, with a config file of our own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../local/cli.js';
import { startFakeAws, withEnv, type FakeAwsServer } from '../support/fake-aws-server.js';

let dir: string;
let server: FakeAwsServer | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-profile-'));
  writeFileSync(
    join(dir, 'config'),
    ['[default]', 'region = us-east-1', 'aws_access_key_id = AKIDDEFAULT', 'aws_secret_access_key = default-key', '', '[profile operator]', 'region = eu-west-1', 'aws_access_key_id = AKIDOPERATOR', 'aws_secret_access_key = operator-key', ''].join('\n'),
  );
  writeFileSync(join(dir, 'credentials'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Runs `failures list` with only the given settings, in the process environment as in the CLI's own. */
async function failuresList(args: string[], settings: Record<string, string | undefined>) {
  server = await startFakeAws(() => ({ status: 200, contentType: 'application/x-amz-json-1.0', body: { Items: [], Count: 0 } }));
  const env = {
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    ...settings,
  };
  const lines: string[] = [];
  const code = await withEnv(env, () =>
    runCli(['failures', 'list', ...args], {
      out: (line) => lines.push(line),
      env: { ...process.env, TABLE_NAME: 'nudges', AWS_ENDPOINT_URL_DYNAMODB: server!.endpoint },
      runtimeFile: '/nonexistent/runtime.json',
    }),
  );
  return { code, lines, authorization: String(server.requests[0]?.headers.authorization) };
}

describe('npm run cli against AWS', () => {
  it('signs with the profile --profile names, in its region', async () => {
    const { code, authorization } = await failuresList(['--profile', 'operator'], {});
    expect(code).toBe(0);
    expect(authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDOPERATOR\/\d{8}\/eu-west-1\/dynamodb\//);
  });

  it('signs with the profile AWS_PROFILE names', async () => {
    const { code, authorization } = await failuresList([], { AWS_PROFILE: 'operator' });
    expect(code).toBe(0);
    expect(authorization).toMatch(/Credential=AKIDOPERATOR\/\d{8}\/eu-west-1\//);
  });

  it('else with the default chain: the default profile', async () => {
    const { code, authorization } = await failuresList([], {});
    expect(code).toBe(0);
    expect(authorization).toMatch(/Credential=AKIDDEFAULT\/\d{8}\/us-east-1\//);
  });

  it('prints the usage for --profile without a name', async () => {
    const lines: string[] = [];
    expect(await runCli(['failures', 'list', '--profile'], { out: (l) => lines.push(l), env: {}, runtimeFile: '/nonexistent/runtime.json' })).toBe(2);
    expect(lines[0]).toMatch(/^usage:/);
  });
});
