import type { InsertOptions, SqlEngine } from '../engine.js';

// Schema names are unique within the page (one DuckDB database per page).
let schemas = 0;

/**
 * A workspace's engine on the page's one DuckDB database: a connection of its own (its queries never run inside
 * the run hub's ingest transactions) whose search path is a schema of its own, so two workspaces on one page each
 * have their `runs` table and metric tables, while the hub's tables (`main.points`) stay readable. Closing it drops
 * the schema, which frees every table the workspace made, then closes the connection.
 */
export async function workspaceConnection(connect: () => Promise<SqlEngine>): Promise<SqlEngine> {
  const connection = await connect();
  const schema = `spyglass_workspace_${schemas++}`;
  await connection.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await connection.query(`SET search_path = '${schema}'`);
  return {
    query: (sql: string) => connection.query(sql),
    insertArrowIPC: (table: string, ipc: Uint8Array, options?: InsertOptions) =>
      connection.insertArrowIPC(table, ipc, options),
    close: async () => {
      await connection.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await connection.close();
    },
  };
}
