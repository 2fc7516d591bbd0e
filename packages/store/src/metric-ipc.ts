import { METRIC_METADATA_KEY, type MetricMetadata, parseMetricMetadata } from '@spyglass/protocol';
import { RecordBatchReader } from 'apache-arrow';
import { checkArrowStream } from './arrow-stream-check.js';
import type { MetricResponse } from './workspace/data.js';
import { WorkspaceSourceError } from './workspace/data.js';

/**
 * Reads the answer of `GET /spyglass/api/v1/metric`: the run ids, live cursors and skipped runs from the Arrow
 * schema metadata (only the schema message is decoded; the batches go to DuckDB as they are), and the row count
 * (from the batch headers).
 */
export function parseMetricIPC(ipc: Uint8Array): MetricResponse & { rows: number } {
  let meta: MetricMetadata = { run_ids: [], cursors: {}, skipped: {} };
  let rows = 0;
  try {
    // The structural check counts the rows from the batch headers: no batch is decoded here.
    rows = checkArrowStream(ipc).rows;
    const reader = RecordBatchReader.from(ipc);
    reader.open();
    const text = reader.schema?.metadata.get(METRIC_METADATA_KEY);
    if (text) meta = parseMetricMetadata(JSON.parse(text));
  } catch (cause) {
    throw new WorkspaceSourceError('metric', 200, `the answer is not an Arrow IPC stream: ${String(cause)}`);
  }
  const overview =
    meta.level !== undefined && meta.max_level !== undefined && meta.stats
      ? { level: meta.level, maxLevel: meta.max_level, stats: meta.stats }
      : undefined;
  const axisOverview =
    meta.axis !== undefined && meta.axis !== 'step' && meta.buckets !== undefined && meta.stats
      ? { axis: meta.axis, x0: meta.x0 ?? 0, x1: meta.x1 ?? 0, buckets: meta.buckets, stats: meta.stats }
      : undefined;
  return {
    ipc,
    runIds: meta.run_ids,
    cursors: meta.cursors,
    skipped: meta.skipped,
    rows,
    overview,
    axisOverview,
  };
}
