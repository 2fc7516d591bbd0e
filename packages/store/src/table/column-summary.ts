import type { Table } from 'apache-arrow';
import type { SqlEngine } from '../engine.js';
import { sqlIdentifier, sqlNumber } from '../sql-literal.js';
import type { TableColumn } from './columns.js';
import { asTableQueryError, TableInputError } from './errors.js';
import { tableMessages } from './messages.js';
import { cellValue } from './window-fetch.js';

export interface HistogramBin {
  start: number;
  end: number;
  count: number;
}

interface SummaryBase {
  column: string;
  /** Rows in the view, nulls included. */
  rows: number;
  nulls: number;
}

/** What a column's summary popover shows: a histogram for numbers, top values for text, media kinds. */
export type ColumnSummary =
  | (SummaryBase & {
      kind: 'number';
      min: number | null;
      max: number | null;
      mean: number | null;
      bins: HistogramBin[];
    })
  | (SummaryBase & { kind: 'text'; distinct: number; top: { value: string; count: number }[] })
  | (SummaryBase & { kind: 'media'; mediaKinds: { kind: string; count: number }[]; samples: string[] });

export interface SummaryOptions {
  bins?: number;
  top?: number;
  samples?: number;
}

// The `_type` of a media reference cell, read by pattern so no JSON extension is needed.
const MEDIA_TYPE = `'^\\s*\\{\\s*"_type"\\s*:\\s*"([A-Za-z0-9_]+)"'`;

async function query(engine: SqlEngine, sql: string): Promise<Table> {
  try {
    return await engine.query(sql);
  } catch (error) {
    throw asTableQueryError(error, sql);
  }
}

function first(table: Table, name: string): unknown {
  return table.getChild(name)?.get(0) ?? null;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Summarises one column of `relation` (usually a view's filtered rows). */
export async function summarizeColumn(
  engine: SqlEngine,
  relation: string,
  columns: readonly TableColumn[],
  name: string,
  options: SummaryOptions = {},
): Promise<ColumnSummary> {
  const column = columns.find((c) => c.name === name);
  if (!column) throw new TableInputError(tableMessages.unknownColumn(name));
  const id = sqlIdentifier(name);
  if (column.kind === 'number') {
    const bins = Math.max(1, Math.floor(options.bins ?? 20));
    const stats = await query(
      engine,
      `SELECT count(*)::BIGINT AS rows, count(*) FILTER (WHERE ${id} IS NULL)::BIGINT AS nulls, ` +
        `min(v) AS lo, max(v) AS hi, avg(v) AS mean FROM (SELECT ${id}, CAST(${id} AS DOUBLE) AS v FROM ${relation}) ` +
        `WHERE v IS NULL OR isfinite(v)`,
    );
    const lo = num(first(stats, 'lo'));
    const hi = num(first(stats, 'hi'));
    const summary = {
      kind: 'number' as const,
      column: name,
      rows: Number(first(stats, 'rows')),
      nulls: Number(first(stats, 'nulls')),
      min: lo,
      max: hi,
      mean: num(first(stats, 'mean')),
      bins: [] as HistogramBin[],
    };
    if (lo === null || hi === null) return summary;
    const width = hi > lo ? (hi - lo) / bins : 1;
    const counts = await query(
      engine,
      `SELECT least(CAST(floor((v - ${sqlNumber(lo)}) / ${sqlNumber(width)}) AS INTEGER), ${bins - 1}) AS bin, ` +
        `count(*)::BIGINT AS n FROM (SELECT CAST(${id} AS DOUBLE) AS v FROM ${relation}) ` +
        `WHERE isfinite(v) GROUP BY bin ORDER BY bin`,
    );
    const byBin = new Map<number, number>();
    const binCol = counts.getChild('bin')?.toArray() ?? [];
    const nCol = counts.getChild('n')?.toArray() ?? [];
    for (let i = 0; i < counts.numRows; i++) byBin.set(Number(binCol[i]), Number(nCol[i]));
    const used = hi > lo ? bins : 1;
    for (let b = 0; b < used; b++) {
      summary.bins.push({
        start: lo + b * width,
        end: hi > lo ? lo + (b + 1) * width : hi,
        count: byBin.get(b) ?? 0,
      });
    }
    return summary;
  }

  const text = `CAST(${id} AS VARCHAR)`;
  const stats = await query(
    engine,
    `SELECT count(*)::BIGINT AS rows, count(*) FILTER (WHERE ${id} IS NULL)::BIGINT AS nulls, ` +
      `approx_count_distinct(${id})::BIGINT AS distinct_values, ` +
      `count(*) FILTER (WHERE regexp_matches(${text}, ${MEDIA_TYPE}))::BIGINT AS media FROM ${relation}`,
  );
  const rows = Number(first(stats, 'rows'));
  const nulls = Number(first(stats, 'nulls'));
  const media = Number(first(stats, 'media'));
  if (media > 0 && media === rows - nulls) {
    const kinds = await query(
      engine,
      `SELECT regexp_extract(${text}, ${MEDIA_TYPE}, 1) AS kind, count(*)::BIGINT AS n FROM ${relation} ` +
        `WHERE ${id} IS NOT NULL GROUP BY kind ORDER BY n DESC, kind`,
    );
    const samples = await query(
      engine,
      `SELECT ${text} AS v FROM ${relation} WHERE ${id} IS NOT NULL LIMIT ${Math.floor(options.samples ?? 8)}`,
    );
    const kindCol = kinds.getChild('kind')?.toArray() ?? [];
    const nCol = kinds.getChild('n')?.toArray() ?? [];
    return {
      kind: 'media',
      column: name,
      rows,
      nulls,
      mediaKinds: Array.from({ length: kinds.numRows }, (_, i) => ({
        kind: String(kindCol[i]),
        count: Number(nCol[i]),
      })),
      samples: Array.from(samples.getChild('v')?.toArray() ?? [], String),
    };
  }
  const top = await query(
    engine,
    `SELECT ${id} AS v, count(*)::BIGINT AS n FROM ${relation} WHERE ${id} IS NOT NULL ` +
      `GROUP BY ${id} ORDER BY n DESC, v LIMIT ${Math.floor(options.top ?? 10)}`,
  );
  const vCol = top.getChild('v');
  const nCol = top.getChild('n')?.toArray() ?? [];
  return {
    kind: 'text',
    column: name,
    rows,
    nulls,
    distinct: Number(first(stats, 'distinct_values')),
    top: Array.from({ length: top.numRows }, (_, i) => ({
      value: String(cellValue(vCol?.get(i), vCol?.type.typeId ?? 0)),
      count: Number(nCol[i]),
    })),
  };
}
