import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { SqlEngine } from '../../src/engine.js';
import { createNodeParquetCodec } from '../../src/table/parquet-node.js';

/** A small predictions table as an Arrow IPC stream (what an inline table output carries). */
export function predictionsIPC(): Uint8Array {
  return tableToIPC(
    tableFromArrays({
      id: Int32Array.from([0, 1, 2, 3, 4, 5]),
      label: ['cat', 'dog', 'cat', 'bird', 'dog', 'cat'],
      score: Float64Array.from([0.9, 0.4, 0.75, 0.1, 0.6, 0.3]),
      note: ['=HYPERLINK("http://x")', 'plain', '+1', '-2', '@sum', 'tab\tinside'],
    }),
    'stream',
  );
}

export const codec = createNodeParquetCodec();

/** Parquet bytes of a SELECT's result (DuckDB runs it, parquet-wasm encodes it), so tests need no Python. */
export async function parquetOf(engine: SqlEngine, select: string): Promise<Uint8Array> {
  return codec.fromArrowTable(await engine.query(select));
}

/** 1M rows × 10 columns like the benchmark's: numbers, strings and a few image reference cells. */
export const MILLION_ROWS = `SELECT i AS id, i % 1000 AS bucket, (i * 7919) % 1000003 AS shuffled,
  CAST(i AS DOUBLE) / 1000 AS x, sin(i) AS y, 'class_' || (i % 17) AS label, 'item ' || i AS name,
  i % 2 = 0 AS even, CAST((i * 31) % 100 AS DOUBLE) / 100 AS score,
  CASE WHEN i % 100000 = 0 THEN '{"_type":"image","path":"media/images/img_' || i || '.png","width":8,"height":8}'
  ELSE NULL END AS image
  FROM range(1000000) r(i)`;
