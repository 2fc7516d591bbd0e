import { type Table, Type, type Vector } from 'apache-arrow';
import type { SqlEngine } from '../engine.js';
import { asTableQueryError } from './errors.js';
import { type TableView, windowSql } from './view-plan.js';

/** A cell as the grid receives it; the grid turns every one into text. */
export type CellValue = string | number | boolean | null;

/** Rows [offset, offset + rows.length) of a view, each an array in `columns` order. */
export interface RowWindow {
  offset: number;
  columns: string[];
  rows: CellValue[][];
}

function isoOrNumber(ms: number, dateOnly: boolean): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return String(ms);
  const iso = date.toISOString();
  return dateOnly ? iso.slice(0, 10) : iso.replace('T', ' ').replace(/\.000Z$|Z$/, '');
}

/** One Arrow value as a CellValue: big integers stay exact (as text when unsafe), nested values as JSON. */
export function cellValue(value: unknown, typeId: Type): CellValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (typeId === Type.Timestamp || typeId === Type.Date) return isoOrNumber(value, typeId === Type.Date);
      return value;
    case 'bigint':
      if (typeId === Type.Timestamp) return isoOrNumber(Number(value), false);
      return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
  }
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (value instanceof Date) return isoOrNumber(value.getTime(), typeId === Type.Date);
  const json = (value as { toJSON?: () => unknown }).toJSON?.() ?? value;
  return JSON.stringify(json, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** An Arrow result as a RowWindow. */
export function tableToWindow(table: Table, offset: number): RowWindow {
  const columns = table.schema.fields.map((f) => f.name);
  const vectors = columns.map((_, i) => table.getChildAt(i) as Vector);
  const rows: CellValue[][] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: CellValue[] = new Array(columns.length);
    for (let c = 0; c < columns.length; c++) row[c] = cellValue(vectors[c].get(r), vectors[c].type.typeId);
    rows[r] = row;
  }
  return { offset, columns, rows };
}

/** Fetches the rows of one window of a view (virtual scrolling asks only for what is on screen). */
export async function fetchWindow(
  engine: SqlEngine,
  view: TableView,
  offset: number,
  limit: number,
): Promise<RowWindow> {
  const sql = windowSql(view, offset, limit);
  try {
    return tableToWindow(await engine.query(sql), Math.max(0, Math.floor(offset)));
  } catch (error) {
    throw asTableQueryError(error, sql);
  }
}
