import type { SqlEngine } from '../engine.js';
import { sqlIdentifier } from '../sql-literal.js';
import { describeColumns, ROW_ID, type TableColumn } from './columns.js';
import { asTableQueryError, TableInputError } from './errors.js';
import { type GroupBySpec, groupBySql } from './group-by.js';
import { tableMessages } from './messages.js';
import { type QuickFilter, quickFilterSql } from './quick-filter.js';
import type { TableSource } from './register.js';
import { selectStatement, whereCondition } from './sql-text.js';

export interface SortKey {
  column: string;
  descending?: boolean;
}

/** What the user asked the grid to show; every part is optional and they compose in this order. */
export interface TableViewSpec {
  /** A SELECT over the table named `t`; its result replaces the table for everything below. */
  sql?: string | null;
  /** A WHERE expression (typed in the WHERE box). */
  where?: string | null;
  filters?: readonly QuickFilter[];
  groupBy?: GroupBySpec | null;
  sort?: readonly SortKey[];
}

/** A planned view: the relation the grid pages through, its columns and row count. */
export interface TableView {
  source: TableSource;
  spec: TableViewSpec;
  /** Rows after SQL, WHERE and quick filters, before grouping (what per-column summaries describe). */
  filtered: string;
  filteredColumns: TableColumn[];
  /** Rows the grid shows (grouped when group by is on), without ORDER BY. */
  relation: string;
  columns: TableColumn[];
  /** `ORDER BY ...` for the shown rows (may be empty). */
  orderBy: string;
  count: number;
  /** True when rows can be addressed by row id ranges (no SQL, filter, group or sort). */
  identity: boolean;
}

function checkColumn(columns: readonly TableColumn[], name: string): string {
  if (!columns.some((c) => c.name === name)) throw new TableInputError(tableMessages.unknownColumn(name));
  return sqlIdentifier(name);
}

async function countRows(engine: SqlEngine, relation: string): Promise<number> {
  const sql = `SELECT count(*)::BIGINT AS n FROM ${relation}`;
  try {
    const table = await engine.query(sql);
    return Number(table.getChild('n')?.get(0) ?? 0);
  } catch (error) {
    throw asTableQueryError(error, sql);
  }
}

/**
 * Turns a spec into SQL over the source and checks it with DuckDB (column names, user expressions), so a bad
 * WHERE fails here with DuckDB's message rather than later while scrolling.
 */
export async function planView(
  engine: SqlEngine,
  source: TableSource,
  spec: TableViewSpec,
): Promise<TableView> {
  let relation = source.relation;
  let columns = source.columns;
  const statement = spec.sql ? selectStatement(spec.sql) : null;
  if (statement) {
    const hasRowId = columns.some((c) => c.name === ROW_ID);
    const t = `SELECT * ${hasRowId ? `EXCLUDE (${sqlIdentifier(ROW_ID)}) ` : ''}FROM ${relation}`;
    relation = `(WITH t AS (${t}) SELECT * FROM ${statement})`;
    columns = await describeColumns(engine, relation);
  }
  const conditions: string[] = [];
  const where = spec.where ? whereCondition(spec.where) : null;
  if (where) conditions.push(where);
  for (const filter of spec.filters ?? []) conditions.push(quickFilterSql(filter, columns));
  if (conditions.length) relation = `(SELECT * FROM ${relation} WHERE ${conditions.join(' AND ')})`;
  if (where) await describeColumns(engine, relation); // binds the user's expression: errors surface now
  const filtered = relation;
  const filteredColumns = columns;

  let shown = columns;
  if (spec.groupBy) {
    relation = `(${groupBySql(filtered, spec.groupBy, columns)})`;
    shown = await describeColumns(engine, relation);
  }
  const keys = (spec.sort ?? []).map(
    (k) => `${checkColumn(shown, k.column)} ${k.descending ? 'DESC' : 'ASC'} NULLS LAST`,
  );
  if (shown.some((c) => c.name === ROW_ID)) keys.push(sqlIdentifier(ROW_ID));
  else if (spec.groupBy) keys.push(...spec.groupBy.columns.map((c) => sqlIdentifier(c)));
  const identity = relation === source.relation && !(spec.sort ?? []).length;
  return {
    source,
    spec,
    filtered,
    filteredColumns,
    relation,
    columns: shown,
    orderBy: keys.length ? `ORDER BY ${keys.join(', ')}` : '',
    count: relation === source.relation ? source.nrows : await countRows(engine, relation),
    identity,
  };
}

/** The SELECT that returns rows [offset, offset + limit) of a view in display order. */
export function windowSql(view: TableView, offset: number, limit: number): string {
  const start = Math.max(0, Math.floor(offset));
  const size = Math.max(0, Math.floor(limit));
  if (view.identity && view.columns.some((c) => c.name === ROW_ID)) {
    // Row ids are positions here: a range scan DuckDB prunes by zone maps, instead of skipping `offset` rows.
    const id = sqlIdentifier(ROW_ID);
    return `SELECT * FROM ${view.relation} WHERE ${id} >= ${start} AND ${id} < ${start + size} ORDER BY ${id}`;
  }
  return `SELECT * FROM ${view.relation} ${view.orderBy} LIMIT ${size} OFFSET ${start}`;
}

/** Every shown row of a view in display order (for export), hidden columns left out. */
export function viewSql(view: TableView, select = '*'): string {
  return `SELECT ${select} FROM ${view.relation} ${view.orderBy}`;
}
