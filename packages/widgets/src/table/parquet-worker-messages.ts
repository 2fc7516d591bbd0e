/**
 * Messages between the page and the Parquet decode worker (`parquet-worker.ts`). Binary data rides as
 * transferred ArrayBuffers; every decode request carries an `id` its answer repeats.
 */
export type ParquetWorkerRequest =
  | { type: 'init'; wasm_url: string }
  | { type: 'decode'; id: number; parquet: ArrayBuffer; batch_size: number; limit?: number };

export type ParquetWorkerReply =
  | { type: 'ready' }
  | { type: 'init_failed'; message: string }
  | { type: 'decoded'; id: number; ipc: ArrayBuffer }
  | { type: 'decode_failed'; id: number; message: string };

/** The worker's `name`: it tells the decode worker apart from DuckDB's in devtools (and to the benchmark). */
export const PARQUET_WORKER_NAME = 'spyglass-parquet-decode';

/** The buffer of exactly these bytes, to transfer: the bytes' own when they span it, else a copy. */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) {
    return buffer;
  }
  return bytes.slice().buffer;
}
