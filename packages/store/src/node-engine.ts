import { createRequire } from 'node:module';
import type * as duckdb from '@duckdb/duckdb-wasm/blocking';
import type { Table } from 'apache-arrow';
import type { SqlEngine } from './engine.js';
import { QueryError } from './errors.js';

// The blocking bundle is CommonJS and resolves the wasm files by path, so load both through require.
const require = createRequire(import.meta.url);

function bundles(): duckdb.DuckDBBundles {
  const resolve = (file: string) => require.resolve(`@duckdb/duckdb-wasm/dist/${file}`);
  return {
    mvp: { mainModule: resolve('duckdb-mvp.wasm'), mainWorker: resolve('duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: resolve('duckdb-eh.wasm'), mainWorker: resolve('duckdb-node-eh.worker.cjs') },
  };
}

class NodeEngine implements SqlEngine {
  constructor(
    private readonly db: duckdb.DuckDBBindings,
    private readonly conn: duckdb.DuckDBConnection,
    /** Whether this engine owns the database (false for a second connection). */
    private readonly owner = true,
  ) {}

  async connect(): Promise<SqlEngine> {
    return new NodeEngine(this.db, this.db.connect(), false);
  }

  async query(sql: string): Promise<Table> {
    try {
      return this.conn.query(sql);
    } catch (cause) {
      throw new QueryError(sql, { cause });
    }
  }

  async insertArrowIPC(table: string, ipc: Uint8Array): Promise<void> {
    await this.query(`DROP TABLE IF EXISTS "${table.replaceAll('"', '""')}"`);
    try {
      this.conn.insertArrowFromIPCStream(ipc, { name: table, create: true });
    } catch (cause) {
      throw new QueryError(`-- insertArrowFromIPCStream into ${table} (${ipc.byteLength} bytes)`, { cause });
    }
  }

  async close(): Promise<void> {
    this.conn.close();
    if (this.owner) this.db.reset();
  }
}

/** DuckDB-WASM's blocking Node bundle (same engine version as the browser worker) behind SqlEngine. */
export async function createNodeEngine(): Promise<SqlEngine> {
  const { createDuckDB, NODE_RUNTIME, VoidLogger } = require('@duckdb/duckdb-wasm/blocking') as typeof duckdb;
  const db = await createDuckDB(bundles(), new VoidLogger(), NODE_RUNTIME);
  await db.instantiate();
  return new NodeEngine(db, db.connect());
}
