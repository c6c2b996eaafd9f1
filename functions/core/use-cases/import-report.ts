/**
 * What every go-live import reports, and how: a line per refused row as it is found, its
 * progress as it goes, and a summary at the end. The CLI prints them; tests collect them.
 */

/** The last line an import prints, as JSON. With --dry-run, what it would do. */
export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  refused: number;
}

/** One thing wrong with one row: where (`line 12`, `events.features[3]`), which field, and why. */
export interface ImportRefusal {
  where: string;
  field: string;
  reason: string;
}

export interface ImportObserver {
  refused(refusal: ImportRefusal): void;
  /** `done` rows of `total` (when known) looked at. */
  progress?(done: number, total?: number): void;
}

export const emptySummary = (): ImportSummary => ({ created: 0, updated: 0, unchanged: 0, refused: 0 });

/** How many rows an import writes at once: quick on DynamoDB, gentle on an on-demand table's first minutes. */
export const importConcurrency = 8;

/** "line 12: practiceCode: ..." as the CLI prints a refusal. */
export const describeRefusal = (r: ImportRefusal) => `${r.where}: ${r.field}: ${r.reason}`;
