import { sqlIdentifier, sqlNumber, sqlString } from '../sql-literal.js';
import type { TableColumn } from './columns.js';
import { TableInputError } from './errors.js';
import { tableMessages } from './messages.js';

/** A per-column filter from the grid's filter row. Values become SQL literals, never pasted text. */
export type QuickFilter =
  | { column: string; op: 'contains'; text: string }
  | { column: string; op: 'equals'; value: string | number | boolean }
  | {
      column: string;
      op: 'range';
      min?: number;
      max?: number;
      minExclusive?: boolean;
      maxExclusive?: boolean;
    };

const COMPARISON = /^(>=|<=|>|<|=)\s*(.+)$/;
const RANGE = /^(.+?)\s*\.\.\s*(.+)$/;

function number(text: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) throw new TableInputError(tableMessages.badNumber(text));
  return value;
}

/**
 * Reads what a user typed in a column's filter box. Numbers: `3`, `>2`, `<=5`, `1..10`. Booleans: `true`/`false`.
 * Text: a substring (case-insensitive), or `=exact`. Empty text means no filter (null).
 */
export function parseQuickFilter(column: TableColumn, text: string): QuickFilter | null {
  const input = text.trim();
  if (input === '') return null;
  const name = column.name;
  if (column.kind === 'number') {
    const range = RANGE.exec(input);
    if (range) return { column: name, op: 'range', min: number(range[1]), max: number(range[2]) };
    const cmp = COMPARISON.exec(input);
    const op = cmp?.[1] ?? '=';
    const value = number(cmp ? cmp[2] : input);
    if (op === '=') return { column: name, op: 'equals', value };
    if (op.startsWith('>')) return { column: name, op: 'range', min: value, minExclusive: op === '>' };
    return { column: name, op: 'range', max: value, maxExclusive: op === '<' };
  }
  if (column.kind === 'boolean' && /^(true|false)$/i.test(input)) {
    return { column: name, op: 'equals', value: input.toLowerCase() === 'true' };
  }
  if (input.startsWith('=') && input.length > 1) return { column: name, op: 'equals', value: input.slice(1) };
  return { column: name, op: 'contains', text: input };
}

function literal(value: string | number | boolean): string {
  if (typeof value === 'number') return sqlNumber(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return sqlString(value);
}

/** The SQL condition of a quick filter over the given columns (refuses unknown columns). */
export function quickFilterSql(filter: QuickFilter, columns: readonly TableColumn[]): string {
  const column = columns.find((c) => c.name === filter.column);
  if (!column) throw new TableInputError(tableMessages.unknownColumn(filter.column));
  const id = sqlIdentifier(column.name);
  switch (filter.op) {
    case 'contains': {
      // ILIKE is DuckDB's fast case-insensitive match (2x lower() + contains on 1M strings); % _ and \ in the
      // text are escaped so they match literally. CAST keeps the filter usable on any column.
      const pattern = sqlString(`%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      const text = column.kind === 'string' ? id : `CAST(${id} AS VARCHAR)`;
      return `${text} ILIKE ${pattern} ESCAPE '\\'`;
    }
    case 'equals':
      return typeof filter.value === 'string' && column.kind !== 'string'
        ? `CAST(${id} AS VARCHAR) = ${sqlString(filter.value)}`
        : `${id} = ${literal(filter.value)}`;
    case 'range': {
      const parts: string[] = [];
      if (filter.min !== undefined)
        parts.push(`${id} ${filter.minExclusive ? '>' : '>='} ${sqlNumber(filter.min)}`);
      if (filter.max !== undefined)
        parts.push(`${id} ${filter.maxExclusive ? '<' : '<='} ${sqlNumber(filter.max)}`);
      return parts.length ? parts.join(' AND ') : 'TRUE';
    }
  }
}
