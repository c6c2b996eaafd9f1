/**
 * What a test file must undo when it ends (its tables, test/support/dynamo.ts), registered by
 * the helper that made it and run by test/setup/file-end.ts after the file's own hooks. A
 * module with no imports: a file that makes no table does not load the AWS SDK to find that
 * out (that import was a second of every unit file's setup).
 */
const cleanups = new Set<() => Promise<void>>();

/** Runs `cleanup` once when the current test file ends (registering it again changes nothing). */
export function atFileEnd(cleanup: () => Promise<void>): void {
  cleanups.add(cleanup);
}

export async function runFileEnd(): Promise<void> {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    await cleanup();
  }
}
