import { sqlNumber } from './sql-literal.js';

export interface M4Query {
  /** A SELECT (or table name in parentheses) yielding the columns named by `x` and `y`. */
  source: string;
  /** Quoted column names. */
  x: string;
  y: string;
  /** Number of x buckets (about the chart's width in pixels); the result has at most 4 rows per bucket. */
  buckets: number;
}

/**
 * M4 downsampling (Jugel et al., VLDB 2014): per x bucket keep the rows with the first x, the last x, the
 * minimum y and the maximum y. A line drawn through them is pixel-identical to one through every row when
 * buckets match the pixel width, and spikes survive. Returns SQL selecting (x, y) ordered by x, without
 * duplicate rows.
 */
export function m4Sql({ source, x, y, buckets }: M4Query): string {
  if (!Number.isInteger(buckets) || buckets < 1)
    throw new RangeError(`M4 needs a positive bucket count, got ${buckets}`);
  // arg_min/arg_max pick one row per extreme, so ties cannot inflate the result past 4 rows per bucket.
  return `WITH src AS (SELECT ${x} AS x, ${y} AS y FROM ${source}),
bounds AS (SELECT min(x) AS x0, max(x) AS x1 FROM src),
bucketed AS (
  SELECT x, y, least(${sqlNumber(buckets - 1)},
    floor((x - x0)::DOUBLE * ${sqlNumber(buckets)} / greatest((x1 - x0)::DOUBLE, 1)))::BIGINT AS b
  FROM src, bounds
),
agg AS (
  SELECT min(x) AS x_first, arg_min(y, x) AS y_first, max(x) AS x_last, arg_max(y, x) AS y_last,
    arg_min(x, y) AS x_low, min(y) AS y_low, arg_max(x, y) AS x_high, max(y) AS y_high
  FROM bucketed GROUP BY b
)
SELECT DISTINCT x AS ${x}, y AS ${y} FROM (
  SELECT x_first AS x, y_first AS y FROM agg
  UNION ALL SELECT x_last, y_last FROM agg
  UNION ALL SELECT x_low, y_low FROM agg
  UNION ALL SELECT x_high, y_high FROM agg
) ORDER BY ${x}`;
}
