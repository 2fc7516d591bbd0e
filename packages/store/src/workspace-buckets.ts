import type { Table } from 'apache-arrow';
import type { SqlEngine } from './engine.js';

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

/** Runs an M4 or pyramid query (workspace-sql.ts) and returns its bucket columns. */
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

/** The query result's columns as number arrays (64-bit integers converted), without one object per row. */
function columnsToBuckets(table: Table): Buckets {
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
