import { sqlNumber } from './sql-literal.js';

/**
 * M4 downsampling (Jugel et al., VLDB 2014), the store's one M4: per x bucket keep the rows with the first x, the
 * last x, the minimum y and the maximum y. A line drawn through them is pixel-identical to one through every row
 * when buckets match the pixel width, and spikes survive. The run panel's series (`m4Sql`), the workspace's raw
 * rows (`rawM4Sql`) and its pyramid (levels built from the raw rows, then merged level by level) all aggregate
 * with the functions below.
 */

/**
 * The M4 aggregates of the points (x, y) of each group: x_first, y_first, x_last, y_last, x_min, y_min, x_max,
 * y_max, in that order. arg_min/arg_max pick one row per extreme, so ties cannot inflate a bucket past 4 rows.
 * `xCast` converts the aggregated x columns (e.g. BIGINT steps read as DOUBLE) without casting every row.
 */
export function m4AggregatesSql(x: string, y: string, xCast = ''): string {
  return `min(${x})${xCast} AS x_first, arg_min(${y}, ${x}) AS y_first, max(${x})${xCast} AS x_last,
  arg_max(${y}, ${x}) AS y_last, arg_min(${x}, ${y})${xCast} AS x_min, min(${y}) AS y_min,
  arg_max(${x}, ${y})${xCast} AS x_max, max(${y}) AS y_max`;
}

/**
 * The M4 aggregates of groups of M4 rows (columns x_first … y_max): the M4 of a union is the M4 of its parts'
 * M4s, so a coarser bucket is built from the finer ones without reading the points again.
 */
export function m4MergeSql(): string {
  return `min(x_first) AS x_first, arg_min(y_first, x_first) AS y_first, max(x_last) AS x_last,
  arg_max(y_last, x_last) AS y_last, arg_min(x_min, y_min) AS x_min, min(y_min) AS y_min,
  arg_max(x_max, y_max) AS x_max, max(y_max) AS y_max`;
}

/**
 * The bucket of x among `buckets` equal buckets over [x0, x0 + span]: floor((x - x0) · buckets / span), clamped
 * to 0 … buckets - 1 (so the last x falls in the last bucket). `x0` and `span` are SQL expressions; span > 0.
 */
export function m4BucketSql(x: string, x0: string, span: string, buckets: number): string {
  if (!Number.isInteger(buckets) || buckets < 1)
    throw new RangeError(`M4 needs a positive bucket count, got ${buckets}`);
  return `least(${sqlNumber(buckets - 1)}, greatest(0, floor((${x} - ${x0})::DOUBLE * ${sqlNumber(
    buckets,
  )} / ${span})))`;
}

export interface M4Query {
  /** A SELECT (or table name in parentheses) yielding the columns named by `x` and `y`. */
  source: string;
  /** Quoted column names. */
  x: string;
  y: string;
  /** Number of x buckets (about the chart's width in pixels); the result has at most 4 rows per bucket. */
  buckets: number;
}

/** M4 of one series over its whole x extent: SQL selecting (x, y) ordered by x, without duplicate rows. */
export function m4Sql({ source, x, y, buckets }: M4Query): string {
  const bucket = m4BucketSql('x', 'x0', 'greatest((x1 - x0)::DOUBLE, 1)', buckets);
  return `WITH src AS (SELECT ${x} AS x, ${y} AS y FROM ${source}),
bounds AS (SELECT min(x) AS x0, max(x) AS x1 FROM src),
bucketed AS (SELECT x, y, ${bucket}::BIGINT AS b FROM src, bounds),
agg AS (SELECT ${m4AggregatesSql('x', 'y')} FROM bucketed GROUP BY b)
SELECT DISTINCT x AS ${x}, y AS ${y} FROM (
  SELECT x_first AS x, y_first AS y FROM agg
  UNION ALL SELECT x_last, y_last FROM agg
  UNION ALL SELECT x_min, y_min FROM agg
  UNION ALL SELECT x_max, y_max FROM agg
) ORDER BY ${x}`;
}
