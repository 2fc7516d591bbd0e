import type { SqlEngine } from '../engine.js';
import { asTableQueryError } from './errors.js';

/** How the explorer treats a column: which filter, which summary, which alignment. */
export type ColumnKind = 'number' | 'string' | 'boolean' | 'temporal' | 'other';

export interface TableColumn {
  name: string;
  /** DuckDB's type name, e.g. BIGINT, DOUBLE, VARCHAR, TIMESTAMP. */
  sqlType: string;
  kind: ColumnKind;
}

/** Hidden helper columns (row identity, compare flags) start with this and are never shown as data. */
export const HIDDEN_PREFIX = '__spyglass_';
/** The row's position in the table as logged; stable under sort and filter. */
export const ROW_ID = `${HIDDEN_PREFIX}row`;

const NUMBER =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*)$/;
const TEMPORAL = /^(DATE|TIME|TIMESTAMP.*|INTERVAL)/;

/** The explorer's kind of a DuckDB type name. */
export function columnKind(sqlType: string): ColumnKind {
  const type = sqlType.toUpperCase();
  if (NUMBER.test(type)) return 'number';
  if (type === 'VARCHAR') return 'string';
  if (type === 'BOOLEAN') return 'boolean';
  if (TEMPORAL.test(type)) return 'temporal';
  return 'other';
}

export function isHidden(name: string): boolean {
  return name.startsWith(HIDDEN_PREFIX);
}

/** The columns a relation (a view name or a parenthesised query) yields, hidden ones included. */
export async function describeColumns(engine: SqlEngine, relation: string): Promise<TableColumn[]> {
  const sql = `DESCRIBE SELECT * FROM ${relation}`;
  let table: Awaited<ReturnType<SqlEngine['query']>>;
  try {
    table = await engine.query(sql);
  } catch (error) {
    throw asTableQueryError(error, sql);
  }
  const names = table.getChild('column_name')?.toArray() ?? [];
  const types = table.getChild('column_type')?.toArray() ?? [];
  return Array.from(names, (name: string, i: number) => ({
    name,
    sqlType: String(types[i]),
    kind: columnKind(String(types[i])),
  }));
}
