import type { Table } from 'apache-arrow';
import type { SqlEngine } from '../engine.js';

/** M4 buckets as columns (rows ordered by run, then q): four extreme points, sum and count of finite values. */
export interface Buckets {
  length: number;
  run: ArrayLike<number>;
  q: ArrayLike<number>;
  x_first: ArrayLike<number>;
  y_first: ArrayLike<number>;
  x_last: ArrayLike<number>;
  y_last: ArrayLike<number>;
  x_min: ArrayLike<number>;
  y_min: ArrayLike<number>;
  x_max: ArrayLike<number>;
  y_max: ArrayLike<number>;
  y_sum: ArrayLike<number>;
  n: ArrayLike<number>;
}

const BUCKET_COLUMNS = [
  'run',
  'q',
  'x_first',
  'y_first',
  'x_last',
  'y_last',
  'x_min',
  'y_min',
  'x_max',
  'y_max',
  'y_sum',
  'n',
] as const;

/** Runs an M4 or pyramid query (sql.ts) and returns its bucket columns. */
export async function queryBuckets(engine: SqlEngine, sql: string): Promise<Buckets> {
  const table = await engine.query(sql);
  return columnsToBuckets(table);
}

export function emptyBuckets(): Buckets {
  const out: Record<string, unknown> = { length: 0 };
  for (const name of BUCKET_COLUMNS) out[name] = [];
  return out as unknown as Buckets;
}

/** run → [start, end) of its rows (the rows are ordered by run). */
export function runSpans(b: Buckets): Map<number, [number, number]> {
  const spans = new Map<number, [number, number]>();
  let start = 0;
  for (let i = 1; i <= b.length; i++) {
    if (i === b.length || b.run[i] !== b.run[start]) {
      spans.set(b.run[start], [start, i]);
      start = i;
    }
  }
  return spans;
}

/**
 * Merges every `factor` consecutive buckets from `origin` on, of each run kept by `keep`, into one
 * (q → floor((q − origin) / factor)): the M4 of a union is the M4 of its parts (earliest first, latest last,
 * lowest min and highest max, ties to the earlier point), with summed sums and counts. Rows stay ordered by run,
 * then q.
 */
export function mergeBuckets(
  b: Buckets,
  keep: (run: number) => boolean,
  factor: number,
  origin = 0,
): Buckets {
  const spans = [...runSpans(b)].filter(([run]) => keep(run)).map(([, span]) => span);
  return mergeSpans(b, spans, factor, origin);
}

/**
 * mergeBuckets over the rows of `spans` (each one run's [start, end), in the order given), keeping only merged
 * buckets q in [0, lastQ] when `lastQ` is given.
 */
export function mergeSpans(
  b: Buckets,
  spans: [number, number][],
  factor: number,
  origin = 0,
  lastQ = Number.POSITIVE_INFINITY,
): Buckets {
  let size = 0;
  for (const [start, end] of spans) size += end - start;
  const columns: Record<string, Float64Array> = {};
  for (const name of BUCKET_COLUMNS) columns[name] = new Float64Array(size);
  const o = columns as unknown as { [K in (typeof BUCKET_COLUMNS)[number]]: Float64Array };
  let k = -1;
  for (const [start, end] of spans) {
    for (let i = start; i < end; i++) {
      const q = Math.floor((b.q[i] - origin) / factor);
      if (q < 0 || q > lastQ) continue;
      if (k < 0 || o.run[k] !== b.run[i] || o.q[k] !== q) {
        k++;
        for (const name of BUCKET_COLUMNS) o[name][k] = b[name][i];
        o.q[k] = q;
        continue;
      }
      if (b.x_first[i] < o.x_first[k]) [o.x_first[k], o.y_first[k]] = [b.x_first[i], b.y_first[i]];
      if (b.x_last[i] > o.x_last[k]) [o.x_last[k], o.y_last[k]] = [b.x_last[i], b.y_last[i]];
      if (b.y_min[i] < o.y_min[k] || (b.y_min[i] === o.y_min[k] && b.x_min[i] < o.x_min[k]))
        [o.x_min[k], o.y_min[k]] = [b.x_min[i], b.y_min[i]];
      if (b.y_max[i] > o.y_max[k] || (b.y_max[i] === o.y_max[k] && b.x_max[i] < o.x_max[k]))
        [o.x_max[k], o.y_max[k]] = [b.x_max[i], b.y_max[i]];
      o.y_sum[k] += b.y_sum[i];
      o.n[k] += b.n[i];
    }
  }
  const out: Record<string, unknown> = { length: k + 1 };
  for (const name of BUCKET_COLUMNS) out[name] = columns[name].subarray(0, k + 1);
  return out as unknown as Buckets;
}

/** The query result's columns as number arrays (64-bit integers converted), without one object per row. */
export function columnsToBuckets(table: Table): Buckets {
  const out: Record<string, unknown> = { length: table.numRows };
  for (const name of BUCKET_COLUMNS) {
    const values = table.getChild(name)?.toArray() as ArrayLike<number | bigint> | undefined;
    out[name] = !values
      ? new Float64Array(table.numRows)
      : typeof values[0] === 'bigint'
        ? Float64Array.from(values as ArrayLike<bigint>, Number)
        : values;
  }
  return out as unknown as Buckets;
}

/** Bucket rows of several queries one after the other (each ordered by run, with runs disjoint between them). */
export function concatBuckets(parts: Buckets[]): Buckets {
  if (parts.length === 1) return parts[0];
  const length = parts.reduce((n, p) => n + p.length, 0);
  const out: Record<string, unknown> = { length };
  for (const name of BUCKET_COLUMNS) {
    const column = new Float64Array(length);
    let at = 0;
    for (const part of parts) {
      column.set(part[name], at);
      at += part.length;
    }
    out[name] = column;
  }
  return out as unknown as Buckets;
}
