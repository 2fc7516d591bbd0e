import type { RunColumn, TableRun } from './run-columns.js';

// A spreadsheet treats a cell starting with one of these as a formula (CSV injection, OWASP); the same set as
// the Python CLI's export (kernel-bridge/spyglass/cli/history_export.py).
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];

/** The CSV text of one value, as the CLI writes it: text a spreadsheet would evaluate gets a leading apostrophe. */
export function neutraliseCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return FORMULA_STARTS.some((start) => text.startsWith(start)) ? `'${text}` : text;
}

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
function quoteField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The runs table as CSV: a header of column labels (with kind prefixes, so `lr` in config and summary differ). */
export function runsTableCsv(columns: readonly RunColumn[], rows: readonly TableRun[]): string {
  const header = ['run_id', ...columns.map((c) => c.id)];
  const lines = [header.map((h) => quoteField(neutraliseCell(h))).join(',')];
  for (const run of rows) {
    const cells = [run.run_id, ...columns.map((c) => c.value(run))];
    lines.push(cells.map((v) => quoteField(neutraliseCell(v))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The runs table as typed values for a Parquet writer: a `run_id` column, then the visible columns by id, values
 * as the runs hold them (numbers stay numbers; the writer turns columns of mixed types into text).
 */
export function runsTableValues(
  columns: readonly RunColumn[],
  rows: readonly TableRun[],
): { columns: string[]; rows: unknown[][] } {
  return {
    columns: ['run_id', ...columns.map((c) => c.id)],
    rows: rows.map((run) => [run.run_id, ...columns.map((c) => c.value(run) ?? null)]),
  };
}
