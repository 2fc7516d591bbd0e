import type { Table } from 'apache-arrow';

/**
 * The narrow SQL surface the store needs, so RunDatabase runs on the blocking Node bundle in tests and on the
 * worker bundle in the browser.
 */
export interface InsertOptions {
  /** The caller never reads `ipc` (or any view of its buffer) again. */
  handOver?: boolean;
}

export interface SqlEngine {
  /** Runs one statement and returns its result as an Arrow table. */
  query(sql: string): Promise<Table>;
  /**
   * Creates or replaces `table` from an Arrow IPC stream. With `handOver` the caller gives up `ipc`: a worker
   * engine may then transfer its buffer (detaching it) instead of copying it first.
   */
  insertArrowIPC(table: string, ipc: Uint8Array, options?: InsertOptions): Promise<void>;
  /**
   * A second connection to the same database (optional). Transactions are per connection: a caller that must
   * not see another's open transaction (the table explorer next to the run cache's ingest) takes its own.
   */
  connect?(): Promise<SqlEngine>;
  close(): Promise<void>;
}
