/** Shared by the infra tests: build the app the way `cdk synth` does (cdk.json context included). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { AppProps } from 'aws-cdk-lib';
import { afterAll, expect } from 'vitest';
import type { Stack } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

/** cdk.json's context (settings defaults and feature flags), plus overrides. */
export function appContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...cdkJson.context,
    // Failed validation then throws with the whole report in the message, whatever NODE_ENV is.
    '@aws-cdk/core:appMode': 'inmemory',
    ...overrides,
  };
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** App props for a test: cdk.json context plus overrides, and a cloud assembly directory removed after the file's tests. */
export function appProps(overrides: Record<string, unknown> = {}): AppProps {
  const outdir = mkdtempSync(join(tmpdir(), 'nudges-cdk-test-'));
  outdirs.push(outdir);
  return { outdir, context: appContext(overrides) };
}

/** Skips esbuild for tests that only need the wiring, not the bundles. */
export const skipBundling = { 'aws:cdk:bundling-stacks': [] };

/** A bare app for tests that build their own stacks. */
export function bareApp(): App {
  return new App({ ...appProps(), context: { '@aws-cdk/core:appMode': 'inmemory' } });
}

export function logicalId(construct: IConstruct): string {
  const cfn = (construct.node.defaultChild ?? construct) as CfnElement;
  return (cfn.stack as Stack).getLogicalId(cfn);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, read by the tests
type TemplateJson = any;

/** Intrinsics rendered as readable text: {Ref: X} → ${X}, GetAtt → ${X.Attr}, Join → concatenation. */
export function render(value: TemplateJson): string {
  if (typeof value === 'string') return value;
  if (value?.Ref) return `\${${value.Ref}}`;
  if (value?.['Fn::GetAtt']) return `\${${value['Fn::GetAtt'].join('.')}}`;
  if (value?.['Fn::Join']) return value['Fn::Join'][1].map(render).join(value['Fn::Join'][0]);
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** A policy's Action or Resource, one or many, as a list. */
export const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** The one resource a template search found (the test fails if there is not exactly one). */
export function only<T>(found: Record<string, T> | T[]): T {
  const values = Object.values(found);
  expect(values).toHaveLength(1);
  return values[0]!;
}
