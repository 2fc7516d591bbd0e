import { createRequire } from 'node:module';
import { type ParquetCodec, type ParquetWasmModule, parquetCodec } from './parquet-codec.js';

// parquet-wasm's Node build is CommonJS and reads its wasm file synchronously on load; DuckDB's blocking bundle
// builds results with apache-arrow's CommonJS build, so serialise them with that one too.
const require = createRequire(import.meta.url);

/** parquet-wasm's Node build as a ParquetCodec (tests and the query benchmark). */
export function createNodeParquetCodec(): ParquetCodec {
  const arrow = require('apache-arrow') as typeof import('apache-arrow');
  return parquetCodec(require('parquet-wasm/node') as ParquetWasmModule, (t) =>
    arrow.tableToIPC(t, 'stream'),
  );
}
