import { sqlIdentifier } from '../sql-literal.js';
import type { TableColumn } from './columns.js';
import { TableInputError } from './errors.js';
import { tableMessages } from './messages.js';

export type AggregateFunction = 'count' | 'mean' | 'min' | 'max' | 'sum';
export const AGGREGATE_FUNCTIONS: readonly AggregateFunction[] = ['count', 'mean', 'min', 'max', 'sum'];

export interface Aggregate {
  fn: AggregateFunction;
  /** Ignored for count (rows per group). */
  column?: string;
}

export interface GroupBySpec {
  columns: string[];
  aggregates: Aggregate[];
}

const SQL_FUNCTION: Record<AggregateFunction, string> = {
  count: 'count',
  mean: 'avg',
  min: 'min',
  max: 'max',
  sum: 'sum',
};

/** The output column name of an aggregate, e.g. `mean(loss)` or `count`. */
export function aggregateName(aggregate: Aggregate): string {
  return aggregate.fn === 'count' ? 'count' : `${aggregate.fn}(${aggregate.column})`;
}

/** A grouped SELECT over `relation`: the group keys, then each aggregate; groups in key order. */
export function groupBySql(relation: string, spec: GroupBySpec, columns: readonly TableColumn[]): string {
  // DuckDB sums integers as HUGEINT, which Arrow carries as a 128-bit decimal; BIGINT reads back as a number.
  const isInteger = (name: string) => /INT/i.test(columns.find((c) => c.name === name)?.sqlType ?? '');
  const known = (name: string) => {
    if (!columns.some((c) => c.name === name)) throw new TableInputError(tableMessages.unknownColumn(name));
    return sqlIdentifier(name);
  };
  const keys = spec.columns.map(known);
  const aggregates = (spec.aggregates.length ? spec.aggregates : [{ fn: 'count' as const }]).map((a) => {
    let expr = a.fn === 'count' ? 'count(*)' : `${SQL_FUNCTION[a.fn]}(${known(a.column ?? '')})`;
    if (a.fn === 'sum' && isInteger(a.column ?? '')) expr = `CAST(${expr} AS BIGINT)`;
    return `${expr} AS ${sqlIdentifier(aggregateName(a))}`;
  });
  const select = [...keys, ...aggregates].join(', ');
  if (keys.length === 0) return `SELECT ${select} FROM ${relation}`;
  return `SELECT ${select} FROM ${relation} GROUP BY ${keys.join(', ')}`;
}
