import { type ParquetCodec, type ParquetWasmModule, parquetCodec } from '@spyglass/store';
import { tableToIPC } from 'apache-arrow';
import initParquet, * as parquetWasm from 'parquet-wasm/esm';
import { tableText } from './messages.js';
import { ParquetWorker } from './ParquetWorker.js';

let loading: Promise<ParquetCodec> | null = null;

/** The decode worker, or null (with a console warning) when this browser or page cannot start one. */
async function startWorker(wasmUrl: string): Promise<ParquetWorker | null> {
  try {
    return await ParquetWorker.start(wasmUrl);
  } catch (error) {
    console.warn(tableText.decodeOnMainThread, error);
    return null;
  }
}

/**
 * parquet-wasm's browser build, started once per page from a same-origin wasm URL (the labextension's bundler
 * emits the file; nothing is fetched from elsewhere). Whole tables decode in a Web Worker; the page's own copy
 * decodes the first rows of a preview, encodes exports, and decodes everything if the worker cannot start.
 */
export function loadParquetCodec(wasmUrl: string): Promise<ParquetCodec> {
  if (!loading) {
    const main = initParquet({ module_or_path: wasmUrl }).then(() =>
      parquetCodec(parquetWasm as unknown as ParquetWasmModule, (table) => tableToIPC(table, 'stream')),
    );
    loading = Promise.all([main, startWorker(wasmUrl)]).then(([codec, worker]) =>
      worker
        ? {
            ...codec,
            decoder: 'worker',
            toArrowIPCAsync: (parquet, options) => worker.decode(parquet, options),
          }
        : { ...codec, decoder: 'main-thread' },
    );
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}
