/**
 * Rows of a CSV file as a spreadsheet saves it, read a row at a time (memory stays flat
 * however long the file): a byte-order mark, CRLF or LF, quoted fields with commas and
 * line breaks, blank lines, short rows, extra columns. Parsed by csv-parse; this module
 * adds what an import needs on top: columns by header name, and each row's first line
 * in the file, so a refusal can say where to look.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { UnusableFileError } from '../../core/errors.js';

export interface CsvRow {
  /** The file line the row starts on (1 is the header). */
  line: number;
  /** By column name; a column the row is too short for is ''. Extra columns are not kept. */
  values: Record<string, string>;
  /** Characters that were not UTF-8 in the file (shown as U+FFFD): a spreadsheet saved in another encoding. */
  badEncoding: boolean;
}

export interface CsvColumns {
  /** Columns that must be in the header; a file without one of them is unusable. */
  required: readonly string[];
  optional?: readonly string[];
}

const breaks = /\r\n|\r|\n/g;
const countBreaks = (text: string) => text.match(breaks)?.length ?? 0;

/** Spreadsheets save UTF-16 as "Unicode text": a file starting with its byte-order mark is not what we read. */
async function refuseUtf16(path: string) {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new UnusableFileError(error.code === 'ENOENT' ? `${path}: no such file` : `${path}: ${error.message}`);
  });
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    if (bytesRead === 2 && ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff))) {
      throw new UnusableFileError(`${path} is UTF-16 ("Unicode text"): save it as "CSV UTF-8" and try again`);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Every data row of the file, in order. Throws UnusableFileError when the file cannot be
 * read as CSV at all (no header, a required column missing, a quote never closed).
 */
export async function* csvRows(path: string, columns: CsvColumns): AsyncGenerator<CsvRow> {
  await refuseUtf16(path);
  const parser = createReadStream(path).pipe(parse({ bom: true, relax_column_count: true }));
  let header: Map<string, number> | undefined;
  let nextLine = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = nextLine;
      // Line breaks inside quoted fields belong to this row: the next row starts after them.
      nextLine += 1 + record.reduce((n, field) => n + countBreaks(field), 0);
      if (record.every((field) => field.trim() === '')) continue;
      if (!header) {
        header = readHeader(record, columns, path);
        continue;
      }
      const values: Record<string, string> = {};
      for (const [name, index] of header) values[name] = (record[index] ?? '').trim();
      yield { line, values, badEncoding: record.some((field) => field.includes('\uFFFD')) };
    }
  } catch (error) {
    if (error instanceof UnusableFileError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new UnusableFileError(`${path} is not a CSV file we can read: ${message}`);
  }
  if (!header) throw new UnusableFileError(`${path} is empty: it needs a header line (${columns.required.join(',')}) and a row per line`);
}

function readHeader(record: string[], columns: CsvColumns, path: string): Map<string, number> {
  const known = [...columns.required, ...(columns.optional ?? [])];
  const byLowerName = new Map(known.map((name) => [name.toLowerCase(), name]));
  const header = new Map<string, number>();
  record.forEach((cell, index) => {
    const name = byLowerName.get(cell.trim().toLowerCase());
    if (!name) return;
    if (header.has(name)) throw new UnusableFileError(`${path}: the header names column ${name} twice`);
    header.set(name, index);
  });
  const missing = columns.required.filter((name) => !header.has(name));
  if (missing.length > 0) {
    throw new UnusableFileError(`${path}: the header line is missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (it needs ${columns.required.join(',')})`);
  }
  return header;
}

/** Reads the file to its end without keeping anything: whether it is usable, and how many rows it has. */
export async function countCsvRows(path: string, columns: CsvColumns): Promise<number> {
  let rows = 0;
  for await (const _ of csvRows(path, columns)) rows++;
  return rows;
}
