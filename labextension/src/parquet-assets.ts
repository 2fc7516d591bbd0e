/**
 * parquet-wasm's browser build, emitted by the builder as an asset/resource file (see webpack.config.cjs) and
 * served same-origin next to DuckDB's: DuckDB-WASM ships without its parquet extension, so this decodes tables.
 */
export function parquetWasmUrl(): string {
  return new URL('parquet-wasm/esm/parquet_wasm_bg.wasm', import.meta.url).href;
}
