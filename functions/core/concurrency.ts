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

/**
 * Runs tasks as they come, at most `limit` at once: `run` waits for a free place, so a
 * producer reading a file a row at a time never holds more than `limit` rows in flight.
 * The first failure is thrown by the next `run` or by `drain`, once nothing is running.
 */
export function workPool(limit: number) {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const settleAll = async () => {
    await Promise.allSettled([...running]);
    if (failure) throw failure.error;
  };
  return {
    async run(task: () => Promise<void>): Promise<void> {
      if (failure) await settleAll();
      while (running.size >= limit) await Promise.race(running);
      if (failure) await settleAll();
      const p: Promise<void> = task()
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => running.delete(p));
      running.add(p);
    },
    drain: settleAll,
  };
}
