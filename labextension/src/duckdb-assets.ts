import type { DuckDBAssets } from '@spyglass/widgets';

/**
 * DuckDB-WASM's EH bundle, emitted by the builder as asset/resource files (see webpack.config.cjs) and served
 * same-origin from /lab/extensions/@spyglass/labextension/static/. Only EH ships: every browser JupyterLab 4
 * supports has WebAssembly exceptions, and the MVP/COI builds would double the wheel.
 */
export function duckdbAssets(): DuckDBAssets {
  return {
    wasmUrl: new URL('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm', import.meta.url).href,
    workerUrl: new URL('@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js', import.meta.url).href,
  };
}
