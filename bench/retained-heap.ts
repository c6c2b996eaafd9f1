/**
 * What a benchmark's process holds, not what it has let go: every 100 ms, a full
 * collection and then the heap in use. Peak RSS counts garbage not yet collected too,
 * which depends on when V8 chooses to collect; a process that held what it read would
 * show here. Needs `node --expose-gc` (bench/run.ts starts its children so).
 */
export function retainedHeapSampler() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run with --expose-gc (bench/run.ts does)');
  let peak = 0;
  const sample = () => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 100);
  return {
    /** Stops sampling, takes a last sample, and returns the peak in MB. */
    stop(): number {
      clearInterval(timer);
      sample();
      return Number((peak / 1048576).toFixed(1));
    },
  };
}
