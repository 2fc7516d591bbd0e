// Named imports let the bundler drop getJsDelivrBundles (a CDN URL) from the bundle; Spyglass never uses it.
import { AsyncDuckDB, type AsyncDuckDBConnection, VoidLogger } from '@duckdb/duckdb-wasm';
import type { InsertOptions, SqlEngine } from '@spyglass/store';
import { QueryError } from '@spyglass/store';
import type { Table } from 'apache-arrow';
import { BrowserEngineError } from './errors.js';

/** Same-origin URLs of the DuckDB-WASM EH bundle, resolved by the caller's bundler (never a CDN). */
export interface DuckDBAssets {
  workerUrl: string;
  wasmUrl: string;
}

class BrowserEngine implements SqlEngine {
  constructor(
    private readonly db: AsyncDuckDB,
    private readonly conn: AsyncDuckDBConnection,
    /** The worker when this engine owns the database; null for a second connection. */
    private readonly worker: Worker | null,
  ) {}

  async connect(): Promise<SqlEngine> {
    return new BrowserEngine(this.db, await this.db.connect(), null);
  }

  async query(sql: string): Promise<Table> {
    try {
      return await this.conn.query(sql);
    } catch (cause) {
      throw new QueryError(sql, { cause });
    }
  }

  async insertArrowIPC(table: string, ipc: Uint8Array, options: InsertOptions = {}): Promise<void> {
    await this.query(`DROP TABLE IF EXISTS "${table.replaceAll('"', '""')}"`);
    // AsyncDuckDB transfers ipc.buffer to the worker, which detaches it; the payload is often a view into a
    // comm message or a whole history file, so it gets a private copy unless the caller hands the bytes over
    // (a 1M-row table or a metric's 10M rows: copying them blocked the page for 100-200 ms).
    const copy = options.handOver ? ipc : ipc.slice();
    try {
      await this.conn.insertArrowFromIPCStream(copy, { name: table, create: true });
    } catch (cause) {
      throw new QueryError(`-- insertArrowFromIPCStream into ${table} (${ipc.byteLength} bytes)`, { cause });
    }
  }

  async close(): Promise<void> {
    await this.conn.close();
    if (!this.worker) return;
    await this.db.terminate();
    this.worker.terminate();
  }
}

/** Starts DuckDB-WASM in a Worker from the given asset URLs and returns it as a SqlEngine. */
export async function createBrowserEngine(assets: DuckDBAssets): Promise<SqlEngine> {
  let worker: Worker | undefined;
  try {
    worker = new Worker(assets.workerUrl);
    const db = new AsyncDuckDB(new VoidLogger(), worker);
    await db.instantiate(assets.wasmUrl);
    const conn = await db.connect();
    // The cache needs no DuckDB extension; never let a query fetch one from extensions.duckdb.org.
    await conn.query('SET autoinstall_known_extensions = false');
    await conn.query('SET autoload_known_extensions = false');
    return new BrowserEngine(db, conn, worker);
  } catch (cause) {
    worker?.terminate();
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new BrowserEngineError(`DuckDB-WASM did not start from ${assets.workerUrl}: ${detail}`, { cause });
  }
}
