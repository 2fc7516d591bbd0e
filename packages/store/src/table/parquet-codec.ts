import type { Table } from 'apache-arrow';

/**
 * Parquet ↔ Arrow IPC conversion. DuckDB-WASM 1.32 ships without its parquet extension and would fetch it from
 * the network, so Parquet is decoded by parquet-wasm (arrow-rs) instead: Node and the browser each pass their
 * own build of it (it is loaded differently in each).
 */
export interface ParquetCodec {
  /** Decodes Parquet bytes to an Arrow IPC stream, optionally only the first `limit` rows. */
  toArrowIPC(parquet: Uint8Array, options?: { limit?: number }): Uint8Array;
  /**
   * The same decode off the calling thread (the browser's runs in a Web Worker, so a 1M-row table does not
   * freeze the page). It takes ownership of `parquet`'s buffer, which may be transferred: do not reuse it.
   */
  toArrowIPCAsync?(parquet: Uint8Array, options?: { limit?: number }): Promise<Uint8Array>;
  /** Where whole tables are decoded; the explorer shows it (tests assert it). Unset means the calling thread. */
  readonly decoder?: ParquetDecoder;
  /** Encodes an Arrow table (a query result) as Parquet (zstd). */
  fromArrowTable(table: Table): Uint8Array;
}

/** Where a table's Parquet was decoded: in a Web Worker, or on the thread that asked (the page's main thread). */
export type ParquetDecoder = 'worker' | 'main-thread';

/** Rows per decoded record batch: few large batches ingest much faster than parquet's default of 1024. */
export const DECODE_BATCH_ROWS = 131_072;

/** What the parquet-wasm module (either build) provides, so both codecs share one implementation. */
export interface ParquetWasmModule {
  readParquet(
    bytes: Uint8Array,
    options?: { batchSize?: number; limit?: number } | null,
  ): {
    intoIPCStream(): Uint8Array;
  };
  writeParquet(table: unknown, properties?: unknown): Uint8Array;
  Table: { fromIPCStream(ipc: Uint8Array): unknown };
  WriterPropertiesBuilder: new () => { setCompression(c: number): unknown; build(): unknown };
  Compression: { ZSTD: number };
}

/**
 * A ParquetCodec over a loaded parquet-wasm module. `toIPC` must be the tableToIPC of the apache-arrow copy the
 * engine builds its results with (in Node the DuckDB bundle loads the CommonJS build, and tableToIPC checks
 * `instanceof`).
 */
export function parquetCodec(wasm: ParquetWasmModule, toIPC: (table: Table) => Uint8Array): ParquetCodec {
  return {
    toArrowIPC(parquet, options = {}) {
      return wasm
        .readParquet(parquet, { batchSize: DECODE_BATCH_ROWS, limit: options.limit })
        .intoIPCStream();
    },
    fromArrowTable(table) {
      const ipc = toIPC(table);
      const builder = new wasm.WriterPropertiesBuilder() as {
        setCompression(c: number): { build(): unknown };
      };
      return wasm.writeParquet(
        wasm.Table.fromIPCStream(ipc),
        builder.setCompression(wasm.Compression.ZSTD).build(),
      );
    },
  };
}
