import type { SqlEngine } from '../engine.js';
import { sqlIdentifier } from '../sql-literal.js';
import { asTableQueryError } from './errors.js';
import { type TableView, viewSql } from './view-plan.js';
import { fetchWindow, type RowWindow, tableToWindow } from './window-fetch.js';

/**
 * Pages through a view. A sorted or filtered view is copied once, in display order, into a temp table: DuckDB keeps
 * insertion order in `rowid`, so every later window is a `rowid` range scan pruned by zone maps (~10 ms anywhere in
 * 1M rows) instead of a sort with `OFFSET` (0.7–2.6 s deep in the rows). Row ids joined back to the source measured
 * 50–200 ms per window in DuckDB 1.4, so the whole rows are copied (memory: one more copy of the shown rows).
 * While the copy is built, windows near the top use `ORDER BY ... LIMIT` directly so the first rows show at once.
 */
export interface ViewWindows {
  readonly view: TableView;
  /**
   * Rows [offset, offset + limit) in display order. `isWanted` is asked after waiting for the ordered copy: when it
   * says no (the grid has scrolled on) the answer is `null` and no query runs.
   */
  fetch(offset: number, limit: number, isWanted?: () => boolean): Promise<RowWindow | null>;
  /** Drops the temp table (after its creation settles, if still running). Safe to call twice. */
  dispose(): Promise<void>;
  /** The temp table's name while it exists (tests). */
  readonly orderTable: string | null;
}

/** Windows starting before this row use `LIMIT/OFFSET` while the ordered copy is still being built. */
export const DIRECT_WINDOW_ROWS = 2_000;

let ordered = 0;

class OrderedWindows implements ViewWindows {
  private readonly table: string;
  private ready: Promise<boolean> | null = null;
  private done = false;
  private disposed = false;

  constructor(
    private readonly engine: SqlEngine,
    readonly view: TableView,
  ) {
    this.table = `spyglass_order_${ordered++}`;
  }

  /**
   * Starts the ordered copy. Engines run one statement at a time, so it is queued after the first window's query:
   * the first rows never wait for the whole copy.
   */
  private start(): Promise<boolean> {
    if (!this.ready) {
      const sql = `CREATE TEMP TABLE ${sqlIdentifier(this.table)} AS ${viewSql(this.view)}`;
      this.ready = this.engine.query(sql).then(
        () => {
          this.done = true;
          return true;
        },
        () => false, // fall back to OFFSET queries; planView already checked the view itself
      );
    }
    return this.ready;
  }

  get orderTable(): string | null {
    return this.disposed || !this.ready ? null : this.table;
  }

  async fetch(offset: number, limit: number, isWanted?: () => boolean): Promise<RowWindow | null> {
    const start = Math.max(0, Math.floor(offset));
    if (this.disposed) return null;
    if (!this.done && start < DIRECT_WINDOW_ROWS) {
      const direct = fetchWindow(this.engine, this.view, start, limit);
      // A task later, so even a blocking engine hands the first rows back before copying the rest.
      setTimeout(() => {
        if (!this.disposed) void this.start();
      }, 0);
      return direct;
    }
    const ok = await this.start();
    if (this.disposed || (isWanted && !isWanted())) return null;
    if (!ok) return fetchWindow(this.engine, this.view, start, limit);
    const size = Math.max(0, Math.floor(limit));
    const sql = `SELECT * FROM ${sqlIdentifier(this.table)} WHERE rowid >= ${start} AND rowid < ${start + size} ORDER BY rowid`;
    try {
      return tableToWindow(await this.engine.query(sql), start);
    } catch (error) {
      throw asTableQueryError(error, sql);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.ready) return; // never created
    await this.ready;
    await this.engine.query(`DROP TABLE IF EXISTS ${sqlIdentifier(this.table)}`).catch(() => undefined);
  }
}

class DirectWindows implements ViewWindows {
  readonly orderTable = null;
  constructor(
    private readonly engine: SqlEngine,
    readonly view: TableView,
  ) {}
  fetch(offset: number, limit: number): Promise<RowWindow> {
    return fetchWindow(this.engine, this.view, offset, limit);
  }
  async dispose(): Promise<void> {}
}

/**
 * Windows over a planned view. Unsorted, unfiltered views page by row id already; every other view builds its
 * ordered copy on the first fetch. Dispose the previous one when the view changes.
 */
export function viewWindows(engine: SqlEngine, view: TableView): ViewWindows {
  return view.identity ? new DirectWindows(engine, view) : new OrderedWindows(engine, view);
}
