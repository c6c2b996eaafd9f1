/**
 * How every Lambda is bundled, in one place: HouseFunction hands these to NodejsFunction
 * (which runs esbuild with them), and bench/lambda-cold-import.ts runs esbuild with the same
 * values, so the bundle measured is the bundle deployed. Plain values, no CDK import, so
 * the bench can read them without loading aws-cdk-lib.
 */
export const houseBundling = {
  /** OutputFormat.ESM: top-level await (config and secrets are read once, at cold start). */
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  /** CommonJS dependencies inside an ESM bundle still call require(). */
  banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  minify: true,
  sourceMap: true,
  /**
   * Nothing external: the SDK is bundled, at the versions package-lock.json pins (the ones
   * the tests ran against), not taken from the runtime. See HouseFunction for why.
   */
  externalModules: [] as string[],
} as const;

/** NODE_OPTIONS every function runs with: stack traces in the logs point into the TypeScript. */
export const houseNodeOptions = '--enable-source-maps';
