/**
 * CSV that opens cleanly in a spreadsheet: RFC 4180 quoting (a field with a comma, quote
 * or line break is quoted, quotes doubled), CRLF line ends, a byte-order mark so Excel
 * reads UTF-8, and a leading apostrophe on text a spreadsheet would run as a formula.
 */
import type { Context } from 'hono';

export type Cell = string | number | undefined;

export function csvField(value: Cell): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const toCsv = (header: string[], rows: Cell[][]) => `\uFEFF${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;

export function csvResponse(c: Context, filename: string, header: string[], rows: Cell[][]) {
  return c.body(toCsv(header, rows), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '-')}"`,
  });
}
