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
   * Maps without the sources' text: stack traces still point at file, line and name, and
   * Node parses a third of the map at each cold start with `--enable-source-maps` (measured
   * on the takeover watcher: 3.2 MB to 1.1 MB, about 20 ms less CPU at import).
   */
  sourcesContent: false,
  /**
   * The SDK's default credential chain is swapped for its first link, the environment, which
   * is where Lambda puts the execution role's keys (functions/adapters/lambda-credentials.ts
   * says why). A path from the project root, where esbuild runs.
   */
  alias: { '@aws-sdk/credential-provider-node': './functions/adapters/lambda-credentials.ts' } as Record<string, string>,
  /**
   * Nothing external: the SDK is bundled, at the versions package-lock.json pins (the ones
   * the tests ran against), not taken from the runtime. See HouseFunction for why.
   */
  externalModules: [] as string[],
} as const;

/** NODE_OPTIONS every function runs with: stack traces in the logs point into the TypeScript. */
export const houseNodeOptions = '--enable-source-maps';
