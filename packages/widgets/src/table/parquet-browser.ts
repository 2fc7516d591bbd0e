import { type ParquetCodec, type ParquetWasmModule, parquetCodec } from '@spyglass/store';
import { tableToIPC } from 'apache-arrow';
import initParquet, * as parquetWasm from 'parquet-wasm/esm';

let loading: Promise<ParquetCodec> | null = null;

/**
 * parquet-wasm's browser build, started once per page from a same-origin wasm URL (the labextension's bundler
 * emits the file; nothing is fetched from elsewhere).
 */
export function loadParquetCodec(wasmUrl: string): Promise<ParquetCodec> {
  if (!loading) {
    loading = initParquet({ module_or_path: wasmUrl }).then(() =>
      parquetCodec(parquetWasm as unknown as ParquetWasmModule, (table) => tableToIPC(table, 'stream')),
    );
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}
