// DuckDB-WASM's wasm and worker must be emitted as files the page can load same-origin (no CDN, ever):
// `new URL('@duckdb/duckdb-wasm/dist/...', import.meta.url)` in src/duckdb-assets.ts resolves to them.
// The worker needs its own rule because the builder treats every other .js file as `javascript/auto`.
// The Parquet decode worker needs none: `new Worker(new URL('./parquet-worker.js', import.meta.url))` in
// @spyglass/widgets' ParquetWorker.ts makes the bundler emit it as a chunk loaded from the same public path.
module.exports = {
  module: {
    rules: [
      // Readable names make the shipped assets easy to find in the wheel and in the network panel.
      { test: /duckdb-eh\.wasm$/, type: 'asset/resource', generator: { filename: '[name].[contenthash][ext]' } },
      // parquet-wasm decodes table outputs (DuckDB-WASM ships without its parquet extension).
      { test: /parquet_wasm_bg\.wasm$/, type: 'asset/resource', generator: { filename: '[name].[contenthash][ext]' } },
      {
        test: /duckdb-browser-eh\.worker\.js$/,
        type: 'asset/resource',
        generator: { filename: '[name].[contenthash][ext]' },
      },
    ],
  },
};
