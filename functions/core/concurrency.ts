/**
 * How many emails a job has in flight at once. One at a time, a send whose table writes
 * and SES call take longer than the pacer's gap loses that time for good, so the job
 * falls short of the configured rate; a few at a time keep to it (the pacer still decides
 * when each starts), and stay gentle on the table.
 */
export const sendersPerJob = 4;

/** Runs `each` over `items`, at most `limit` at once, in order of start. `each` handles its own failures. */
export async function forEachAtMost<T>(items: readonly T[], limit: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await each(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Waits for every one of `work` (already started), then throws the first failure, if any:
 * unlike Promise.all, nothing is still running when the caller hears of a failure.
 */
export async function allOrFirstFailure<T>(work: ReadonlyArray<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
