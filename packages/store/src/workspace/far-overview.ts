import { tableFromCheckedIPC } from '../arrow-stream-check.js';
import { type Buckets, mergeSpans, runSpans } from './buckets.js';
import type { MetricResponse } from './data.js';
import type { PyramidGrid } from './sql.js';

/**
 * The server's step overview of a metric kept on the server (remote.ts), for its far runs: one M4 pyramid level
 * (bucket q of run r covers steps [q·2^level, (q+1)·2^level)), held in JS typed arrays rather than in DuckDB-WASM.
 * The page draws whole-range charts from it (coarser grids by merging buckets, the M4 of a union being the M4 of
 * its parts) and never queries it with SQL: ingesting it into DuckDB, building its coarser levels there and reading
 * them back cost seconds at 1,000 runs, and the WASM heap never gives back what it grew to. Dropping the slot
 * frees it.
 */
export interface FarOverview {
  level: number;
  /** Ordered by run (the slot's run numbers), then q; only the overview's level. */
  rows: Buckets;
  /** run → [start, end) of its rows. */
  spans: Map<number, [number, number]>;
  /** JS bytes the columns take (what the memory budget counts). */
  bytes: number;
}

const COLUMNS = ['x_first', 'y_first', 'x_last', 'y_last', 'x_min', 'y_min', 'x_max', 'y_max', 'y_sum', 'n'];

/** Bytes one overview row takes here: an Int32 run and eleven Float64 columns (q and the M4 row). */
export const FAR_ROW_BYTES = 4 + 8 * 11;

/**
 * The overview rows of `response` (an answer with `overview` set; its run column indexes `response.runIds`, which
 * are the slot's run numbers) copied into compact columns of their own, so the answer's buffer can be freed.
 */
export function farOverviewOf(response: MetricResponse, level: number): FarOverview {
  const table = tableFromCheckedIPC(response.ipc);
  const lvl = table.getChild('lvl')?.toArray() as ArrayLike<number> | undefined;
  // numRows sums over the batches on every read (one batch per run): read it once.
  const numRows = table.numRows;
  const keep: number[] = [];
  for (let i = 0; i < numRows; i++) if (!lvl || lvl[i] === level) keep.push(i);
  const run = table.getChild('run')?.toArray() as ArrayLike<number>;
  const b = numbers(table.getChild('b')?.toArray());
  // The server sends them ordered by run, then bucket; sort only if not.
  let sorted = true;
  for (let k = 1; k < keep.length && sorted; k++) {
    const [i, j] = [keep[k - 1], keep[k]];
    sorted = run[i] < run[j] || (run[i] === run[j] && b[i] < b[j]);
  }
  if (!sorted) keep.sort((i, j) => run[i] - run[j] || b[i] - b[j]);
  const whole = sorted && keep.length === numRows;
  // Copies, never views into the answer's buffer (which would keep all of it alive).
  const pick = <T extends Int32Array | Float64Array>(
    make: (n: number) => T,
    column: ArrayLike<number>,
  ): T => {
    const picked = make(keep.length);
    if (whole) picked.set(column);
    else for (let k = 0; k < keep.length; k++) picked[k] = column[keep[k]];
    return picked;
  };
  const float = (n: number) => new Float64Array(n);
  const out: Record<string, unknown> = {
    length: keep.length,
    run: pick((n) => new Int32Array(n), run),
    q: pick(float, b),
  };
  for (const name of COLUMNS) out[name] = pick(float, numbers(table.getChild(name)?.toArray()));
  const rows = out as unknown as Buckets;
  return { level, rows, spans: runSpans(rows), bytes: keep.length * FAR_ROW_BYTES };
}

/** The step extent of `runs` (first and last finite point), or null when none has a point. */
export function farExtent(overview: FarOverview, runs: number[]): [number, number] | null {
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  const { x_first, x_last } = overview.rows;
  for (const run of runs) {
    const span = overview.spans.get(run);
    if (!span) continue;
    for (let i = span[0]; i < span[1]; i++) {
      if (x_first[i] < x0) x0 = x_first[i];
      if (x_last[i] > x1) x1 = x_last[i];
    }
  }
  return x0 <= x1 ? [x0, x1] : null;
}

/**
 * The buckets of `runs` on a pyramid grid at the overview's level or coarser, whole buckets at the edges (as
 * `pyramidQuerySql` with `exactEdges: false`): q counts from the grid's origin, rows ordered by run, then q.
 */
export function farOverviewBuckets(overview: FarOverview, grid: PyramidGrid, runs: number[]): Buckets {
  if (grid.level < overview.level)
    throw new RangeError(`a grid at level ${grid.level} is finer than the overview's ${overview.level}`);
  const spans: [number, number][] = [];
  for (const run of [...runs].sort((a, c) => a - c)) {
    const span = overview.spans.get(run);
    if (span) spans.push(span);
  }
  const factor = 2 ** (grid.level - overview.level);
  const origin = grid.origin / 2 ** overview.level;
  const lastQ = Math.floor(grid.hi / grid.width) - grid.origin / grid.width;
  return mergeSpans(overview.rows, spans, factor, origin, lastQ);
}

/** The column as numbers; 64-bit integers (steps, counts: below 2^53) read from their two 32-bit words. */
function numbers(values: ArrayLike<number | bigint> | undefined): ArrayLike<number> {
  if (!(values instanceof BigInt64Array)) return (values as ArrayLike<number> | undefined) ?? [];
  // Converting each BigInt with Number() cost ~70 ms per column of 196,000 rows.
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = words[2 * i] + (words[2 * i + 1] | 0) * 4294967296;
  return out;
}
