/**
 * A progress bar for the imports, drawn with cli-progress on a terminal only: piped into
 * a file or a test, an import prints its refusal lines and summary and nothing else.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';

export interface Progress {
  /** `done` of `total` rows (total unknown while a feed is streamed). */
  update(done: number, total?: number): void;
  /** A line of output, printed above the bar while it is drawn. */
  line(text: string): void;
  stop(): void;
}

export function progressBar(label: string, out: (line: string) => void, terminal = Boolean(process.stderr.isTTY)): Progress {
  if (!terminal) return { update: () => undefined, line: out, stop: () => undefined };
  const bars = new MultiBar({ format: `${label} [{bar}] {value}/{total} rows`, hideCursor: true, clearOnComplete: true, stream: process.stderr }, Presets.shades_classic);
  let bar: SingleBar | undefined;
  // Refusals go to stdout; on the same terminal as the bar they are printed above it.
  const sameTerminal = Boolean(process.stdout.isTTY);
  return {
    update(done, total) {
      bar ??= bars.create(total ?? 0, 0);
      if (total !== undefined) bar.setTotal(total);
      else if (done > bar.getTotal()) bar.setTotal(done);
      bar.update(done);
    },
    line(text) {
      if (sameTerminal) bars.log(`${text}\n`);
      else out(text);
    },
    stop: () => bars.stop(),
  };
}
