import type { OverviewAxis } from '@spyglass/protocol';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { SqlEngine } from '../engine.js';
import { sqlNumber } from '../sql-literal.js';
import { type AxisOverview, axisOverviewOf } from './axis-overview.js';
import type { LoadedMetric, MetricResponse } from './data.js';
import type { FarOverview } from './far-overview.js';
import {
  alignDown,
  buildFirstLevelSql,
  buildLevelSql,
  createLevelsSql,
  deleteTailSql,
  dropMetricSql,
  type MetricTables,
  MIN_LEVEL,
  mergeLiveRowsSql,
  metricTables,
  runStatsSql,
} from './sql.js';

/** Pyramid builds go chunk by chunk of 2^CHUNK_LEVEL steps. */
const CHUNK_LEVEL = 14;

export function slotKey(metric: string, xMetric: string | null): string {
  return `${metric}\u0000${xMetric ?? ''}`;
}

export interface RunStats {
  rows: number;
  finite: number;
  maxStep: number;
  minStep?: number;
}

/** New rows of one run for a loaded metric (from the live tail). */
export interface RunRows {
  step: number[];
  wall: number[];
  value: number[];
  x?: number[];
}

/**
 * One loaded metric (with an optional step metric as x) in DuckDB-WASM: its raw and pyramid tables, the mapping
 * between run ids and the integer `run` column, per-run row statistics, and the framed-log seq each running
 * run's data reaches. Every method that touches the engine must run inside the store's serial queue.
 */
export class MetricSlot {
  readonly tables: MetricTables;
  readonly runIndex = new Map<string, number>();
  readonly runIds: string[] = [];
  readonly stats = new Map<number, RunStats>();
  readonly cursors = new Map<string, number>();
  skipped: Record<string, string> = {};
  maxLevel = MIN_LEVEL;
  bytes = 0;
  lastUsed = 0;
  /** Charts can be drawn: the overview level (and coarser) or the full pyramid is in place. */
  ready = false;
  /** The raw rows are in (exact edges, deep zooms and other axes work; the pyramid may still be building). */
  rawReady = false;
  /** The raw rows and the whole pyramid are in place (every zoom from the pyramid, live tail). */
  fullReady = false;
  /**
   * The finest level present before fullReady (the server's overview), else null; for a remote slot, the finest
   * level the page holds of its far runs.
   */
  overviewLevel: number | null = null;
  /**
   * The metric stays on the server (see remote.ts): the page holds the far runs' overview (`farOverview`), and raw
   * rows and a full pyramid only for `localRuns` (running when it loaded, or added since).
   */
  remote = false;
  readonly localRuns = new Set<number>();
  /** A remote slot's overview of its far runs, kept in JS (far-overview.ts); null for other slots. */
  farOverview: FarOverview | null = null;
  /** The server's overviews on other axes, fetched when a whole-range chart first asks (until rawReady). */
  readonly axisOverviews = new Map<OverviewAxis, Promise<AxisOverview | null>>();
  loading: Promise<void> | null = null;
  /** Settles when fullReady (or the full load failed). */
  full: Promise<void> = Promise.resolve();

  constructor(
    readonly metric: string,
    readonly xMetric: string | null,
    readonly index: number,
  ) {
    this.tables = metricTables(index);
  }

  describe(): LoadedMetric {
    let rows = 0;
    for (const s of this.stats.values()) rows += s.rows;
    return {
      metric: this.metric,
      rows,
      runIds: [...this.stats.keys()].map((run) => this.runIds[run]),
      bytes: this.bytes,
      skipped: { ...this.skipped },
    };
  }

  /**
   * Puts the server's overview in place as the pyramid's levels from `overview.level` up (the coarser ones built
   * here from it), with the per-run statistics it carries, so charts of the whole range draw before the rows come.
   */
  async ingestOverview(engine: SqlEngine, response: MetricResponse): Promise<void> {
    const overview = response.overview as NonNullable<MetricResponse['overview']>;
    if ((response.rows ?? 0) > 0) await engine.insertArrowIPC(this.tables.levels, response.ipc);
    else await engine.query(createLevelsSql(this.tables));
    this.takeRuns(response, overview.stats);
    this.maxLevel = Math.max(overview.maxLevel, overview.level);
    for (let level = overview.level + 1; level <= this.maxLevel; level++) {
      await engine.query(buildLevelSql(this.tables, level));
    }
    this.overviewLevel = overview.level;
  }

  /**
   * A remote slot's overview (the step overview `response`, already read into `far`): its runs, statistics and
   * levels, with an empty pyramid table for the local runs' rows (the far runs' buckets stay in `far`).
   */
  async ingestFarOverview(engine: SqlEngine, response: MetricResponse, far: FarOverview): Promise<void> {
    const overview = response.overview as NonNullable<MetricResponse['overview']>;
    await engine.query(createLevelsSql(this.tables));
    this.takeRuns(response, overview.stats);
    this.farOverview = far;
    this.maxLevel = Math.max(overview.maxLevel, overview.level);
    this.overviewLevel = overview.level;
  }

  /**
   * Takes the server's overview on another axis as the load's first answer: its runs and statistics, an empty
   * pyramid (no level: step charts wait for the rows) and the overview for whole-range charts on its axis.
   */
  async ingestAxisOverview(engine: SqlEngine, response: MetricResponse): Promise<void> {
    const grid = response.axisOverview as NonNullable<MetricResponse['axisOverview']>;
    await engine.query(createLevelsSql(this.tables));
    this.takeRuns(response, grid.stats);
    this.axisOverviews.set(grid.axis, Promise.resolve(axisOverviewOf(this, response)));
  }

  private takeRuns(response: MetricResponse, stats: NonNullable<MetricResponse['overview']>['stats']): void {
    this.setRuns(response.runIds);
    this.skipped = { ...response.skipped };
    for (const [runId, s] of Object.entries(stats)) {
      const run = this.runIndex.get(runId);
      if (run !== undefined) this.stats.set(run, { rows: s.rows, finite: s.finite, maxStep: s.max_step });
    }
  }

  /**
   * Creates the raw table from the server's answer. The IPC goes into DuckDB as it is, handed over without a copy
   * in JS (10M rows are ~280 MB): the response is not read again.
   */
  async ingest(engine: SqlEngine, response: MetricResponse, rows: number): Promise<void> {
    if (rows > 0) await engine.insertArrowIPC(this.tables.raw, response.ipc, { handOver: true });
    else await engine.query(this.createRawSql());
    this.setRuns(response.runIds);
    this.skipped = { ...response.skipped };
    for (const [runId, seq] of Object.entries(response.cursors)) this.cursors.set(runId, seq);
    await this.refreshStats(engine);
    this.rawReady = true;
  }

  private setRuns(runIds: string[]): void {
    this.runIndex.clear();
    this.runIds.length = 0;
    this.stats.clear();
    runIds.forEach((runId, i) => {
      this.runIndex.set(runId, i);
      this.runIds[i] = runId;
    });
  }

  /** Builds the whole M4 pyramid and the per-run statistics. */
  async buildPyramid(engine: SqlEngine): Promise<void> {
    await this.refreshStats(engine);
    for (const step of this.pyramidSteps()) await step(engine);
  }

  /**
   * The pyramid build as small steps (each one statement or a few), so the store can run chart queries between
   * them: it is built into a side table, chunk of 16,384 steps by chunk (buckets never straddle a chunk, and the
   * rows come out ordered by step, which the zone maps use), and swapped in by the last step.
   */
  pyramidSteps(): ((engine: SqlEngine) => Promise<void>)[] {
    const maxLevel = levelsFor(this.maxStep());
    const next = { raw: this.tables.raw, levels: `${this.tables.levels}_next` };
    let maxStep = 0;
    let minStep = 0;
    for (const s of this.stats.values()) {
      maxStep = Math.max(maxStep, s.maxStep);
      minStep = Math.min(minStep, s.minStep ?? 0);
    }
    const steps: ((engine: SqlEngine) => Promise<void>)[] = [
      async (engine) => void (await engine.query(createLevelsSql(next))),
    ];
    const top = Math.min(maxLevel, CHUNK_LEVEL);
    for (let from = alignDown(minStep, CHUNK_LEVEL); from <= maxStep; from += 2 ** CHUNK_LEVEL) {
      const chunk: [number, number] = [from, from + 2 ** CHUNK_LEVEL - 1];
      steps.push(async (engine) => {
        await engine.query(buildFirstLevelSql(next, undefined, chunk));
        for (let level = MIN_LEVEL + 1; level <= top; level++) {
          await engine.query(buildLevelSql(next, level, undefined, chunk));
        }
      });
    }
    for (let level = top + 1; level <= maxLevel; level++) {
      steps.push(async (engine) => void (await engine.query(buildLevelSql(next, level))));
    }
    steps.push(async (engine) => {
      await engine.query(`DROP TABLE IF EXISTS ${this.tables.levels}`);
      await engine.query(`ALTER TABLE ${next.levels} RENAME TO ${this.tables.levels}`);
      this.maxLevel = maxLevel;
    });
    return steps;
  }

  /**
   * Makes a remote slot's raw table from the rows of its running runs (`response`, fetched after the overview)
   * and rebuilds their pyramid from them, so they are answered in the page and tailed live like any loaded run.
   */
  async ingestLocalRuns(engine: SqlEngine, response: MetricResponse, running: string[]): Promise<void> {
    await engine.query(this.createRawSql());
    this.remote = true;
    this.rawReady = true;
    for (const runId of running) this.localRuns.add(this.indexOf(runId));
    await this.append(engine, response, { replace: true });
  }

  /**
   * Adds runs fetched after the load (their indices are renumbered into this slot's). Returns their ids. With
   * `replace`, runs the slot knows from the overview are taken too (their levels rebuilt from the rows).
   */
  async append(engine: SqlEngine, response: MetricResponse, { replace = false } = {}): Promise<string[]> {
    for (const [runId, seq] of Object.entries(response.cursors)) {
      if (!this.cursors.has(runId)) this.cursors.set(runId, seq);
    }
    Object.assign(this.skipped, response.skipped);
    const fresh = response.runIds.filter((id) => replace || !this.runIndex.has(id));
    if (!fresh.length) return [];
    const staging = `${this.tables.raw}_append`;
    await engine.insertArrowIPC(staging, response.ipc);
    const cases = response.runIds
      .map((id, i) => (fresh.includes(id) ? `WHEN ${i} THEN ${sqlNumber(this.indexOf(id))}` : ''))
      .filter(Boolean)
      .join(' ');
    const freshLocal = response.runIds.map((id, i) => (fresh.includes(id) ? i : -1)).filter((i) => i >= 0);
    const x = this.xMetric ? ', x' : '';
    await engine.query(
      `INSERT INTO ${this.tables.raw} SELECT CASE run ${cases} END, step, wall, value${x} FROM ${staging} ` +
        `WHERE run IN (${freshLocal.join(', ')})`,
    );
    await engine.query(`DROP TABLE ${staging}`);
    for (const id of fresh) {
      if (this.remote) this.localRuns.add(this.indexOf(id));
      await this.reindexRun(engine, this.indexOf(id), Number.MIN_SAFE_INTEGER);
    }
    return fresh;
  }

  /** Appends live rows of one run and merges them into the pyramid buckets they touch. */
  async appendRows(engine: SqlEngine, runId: string, rows: RunRows): Promise<void> {
    if (!rows.step.length) return;
    const run = this.indexOf(runId);
    const columns: Record<string, Int32Array | BigInt64Array | Float64Array> = {
      run: new Int32Array(rows.step.length).fill(run),
      step: BigInt64Array.from(rows.step, (s) => BigInt(s)),
      wall: Float64Array.from(rows.wall),
      value: Float64Array.from(rows.value),
    };
    if (this.xMetric) columns.x = Float64Array.from(rows.x ?? rows.step.map(() => Number.NaN));
    const staging = `${this.tables.raw}_live`;
    await engine.insertArrowIPC(staging, tableToIPC(tableFromArrays(columns), 'stream'));
    const added = {
      rows: rows.step.length,
      finite: rows.value.filter(Number.isFinite).length,
      maxStep: Math.max(...rows.step),
    };
    await this.appendStaged(engine, run, staging, added);
  }

  /**
   * Appends rows of run index `run` staged in `staging` (this slot's raw columns, in order), merges them into the
   * pyramid buckets they touch and drops the staging table; `added` counts them for the run's statistics.
   */
  async appendStaged(
    engine: SqlEngine,
    run: number,
    staging: string,
    added: Omit<RunStats, 'minStep'>,
  ): Promise<void> {
    await engine.query(`INSERT INTO ${this.tables.raw} SELECT * FROM ${staging}`);
    const stats = this.stats.get(run) ?? { rows: 0, finite: 0, maxStep: Number.NEGATIVE_INFINITY };
    stats.rows += added.rows;
    stats.finite += added.finite;
    stats.maxStep = Math.max(stats.maxStep, added.maxStep);
    this.stats.set(run, stats);
    await this.growPyramid(engine);
    for (const sql of mergeLiveRowsSql(this.tables, staging, this.maxLevel)) await engine.query(sql);
    await engine.query(`DROP TABLE ${staging}`);
  }

  async forget(engine: SqlEngine, runIds: string[]): Promise<void> {
    for (const runId of runIds) {
      const run = this.runIndex.get(runId);
      this.cursors.delete(runId);
      if (run === undefined || !this.stats.has(run)) continue;
      await engine.query(`DELETE FROM ${this.tables.raw} WHERE run = ${sqlNumber(run)}`);
      await engine.query(`DELETE FROM ${this.tables.levels} WHERE run = ${sqlNumber(run)}`);
      this.stats.delete(run);
      this.localRuns.delete(run);
    }
  }

  async dropTables(engine: SqlEngine): Promise<void> {
    this.ready = false;
    this.farOverview = null;
    for (const sql of dropMetricSql(this.tables)) await engine.query(sql);
  }

  /** The last step of the run this slot holds (-Infinity when none): live rows append after it. */
  maxStepOf(runId: string): number {
    const run = this.runIndex.get(runId);
    return (run === undefined ? undefined : this.stats.get(run)?.maxStep) ?? Number.NEGATIVE_INFINITY;
  }

  /** The run's index in this slot's `run` column, given on first use. */
  indexOf(runId: string): number {
    let run = this.runIndex.get(runId);
    if (run === undefined) {
      run = this.runIds.length;
      this.runIds.push(runId);
      this.runIndex.set(runId, run);
    }
    return run;
  }

  /** Rebuilds one run's pyramid from `fromStep` on (every level), growing the pyramid if the run grew past it. */
  private async reindexRun(engine: SqlEngine, run: number, fromStep: number): Promise<void> {
    const tail = { run, fromStep };
    await engine.query(deleteTailSql(this.tables, tail));
    await engine.query(buildFirstLevelSql(this.tables, tail));
    for (let level = MIN_LEVEL + 1; level <= this.maxLevel; level++) {
      await engine.query(buildLevelSql(this.tables, level, tail));
    }
    await this.refreshStats(engine, run);
    await this.growPyramid(engine);
  }

  /** Adds the levels a longer run needs (built from the level below, which every run already has). */
  private async growPyramid(engine: SqlEngine): Promise<void> {
    const wanted = levelsFor(this.maxStep());
    for (let level = this.maxLevel + 1; level <= wanted; level++) {
      await engine.query(buildLevelSql(this.tables, level));
    }
    this.maxLevel = Math.max(this.maxLevel, wanted);
  }

  private async refreshStats(engine: SqlEngine, run?: number): Promise<void> {
    const table = await engine.query(runStatsSql(this.tables, run));
    const runs = table.getChild('run')?.toArray() ?? [];
    const rows = table.getChild('rows')?.toArray() ?? [];
    const finite = table.getChild('finite')?.toArray() ?? [];
    const maxStep = table.getChild('max_step')?.toArray() ?? [];
    const minStep = table.getChild('min_step')?.toArray() ?? [];
    for (let i = 0; i < table.numRows; i++) {
      const stats = { rows: rows[i], finite: finite[i], maxStep: maxStep[i] ?? 0, minStep: minStep[i] ?? 0 };
      this.stats.set(Number(runs[i]), stats);
    }
  }

  private maxStep(): number {
    let max = 0;
    for (const s of this.stats.values())
      if (Number.isFinite(s.maxStep)) max = Math.max(max, Math.abs(s.maxStep));
    return max;
  }

  private createRawSql(): string {
    const x = this.xMetric ? ', x DOUBLE' : '';
    return `CREATE OR REPLACE TABLE ${this.tables.raw} (run INTEGER, step BIGINT, wall DOUBLE, value DOUBLE${x})`;
  }
}

/** The coarsest level needed: one bucket per run once 2^level exceeds every step. */
function levelsFor(maxStep: number): number {
  return Math.max(MIN_LEVEL, Math.ceil(Math.log2(Math.max(maxStep, 1) + 1)));
}
