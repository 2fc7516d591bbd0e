import type { Table, Vector } from 'apache-arrow';
import type { SqlEngine } from '../engine.js';
import { sqlIdentifier } from '../sql-literal.js';
import { isHidden } from './columns.js';
import { asTableQueryError } from './errors.js';
import type { ParquetCodec } from './parquet-codec.js';
import { type TableView, viewSql } from './view-plan.js';
import { cellValue } from './window-fetch.js';

export type ExportFormat = 'csv' | 'parquet';

// A spreadsheet evaluates a cell starting with one of = + - @ tab CR (CSV injection, OWASP); the Python CLI
// (cli/history_export.py) prefixes such text with an apostrophe, and so does this.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A header or text cell as a spreadsheet should see it: formulas get a leading apostrophe. */
export function neutraliseText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV field (RFC 4180 quoting); text is neutralised, numbers and booleans are not (as in the CLI). */
export function csvField(value: unknown, isText: boolean): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  if (isText) text = neutraliseText(text);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** An Arrow table as CSV bytes, hidden helper columns already left out by the query. */
export function tableToCsv(table: Table, textColumns: ReadonlySet<string>): Uint8Array {
  const names = table.schema.fields.map((f) => f.name);
  const lines: string[] = [names.map((n) => csvField(n, true)).join(',')];
  for (const batch of table.batches) {
    const vectors = names.map((_, i) => batch.getChildAt(i) as Vector);
    const isText = names.map((n) => textColumns.has(n));
    for (let r = 0; r < batch.numRows; r++) {
      const fields = new Array<string>(names.length);
      for (let c = 0; c < names.length; c++) {
        const v = vectors[c].get(r);
        fields[c] = csvField(isText[c] ? v : cellValue(v, vectors[c].type.typeId), isText[c]);
      }
      lines.push(fields.join(','));
    }
  }
  lines.push('');
  return new TextEncoder().encode(lines.join('\r\n'));
}

/**
 * The current view (filters, sort, group, SQL) as a CSV or Parquet file. Hidden helper columns are left out; in
 * CSV, text cells and headers that a spreadsheet would run get a leading apostrophe.
 */
export async function exportView(
  engine: SqlEngine,
  view: TableView,
  format: ExportFormat,
  codec: ParquetCodec,
): Promise<Uint8Array> {
  const shown = view.columns.filter((c) => !isHidden(c.name));
  const sql = viewSql(view, shown.map((c) => sqlIdentifier(c.name)).join(', ') || '*');
  let table: Table;
  try {
    table = await engine.query(sql);
  } catch (error) {
    throw asTableQueryError(error, sql);
  }
  if (format === 'csv')
    return tableToCsv(table, new Set(shown.filter((c) => c.kind === 'string').map((c) => c.name)));
  return codec.fromArrowTable(table);
}
