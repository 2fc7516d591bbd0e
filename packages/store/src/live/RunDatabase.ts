import type { HistogramPoint } from '@spyglass/protocol';
import { toRows } from '../arrow-rows.js';
import { m4Sql } from '../downsample-m4.js';
import type { SqlEngine } from '../engine.js';
import { IngestError } from '../errors.js';
import {
  CREATE_HISTOGRAMS_SQL,
  histogramSeriesSql,
  histogramsInsertSql,
  parseHistogramPoints,
} from '../histogram-rows.js';
import { sqlIdentifier, sqlNumber, sqlString } from '../sql-literal.js';
import { type FrameInput, type IngestPlanner, planOnThisThread } from './ingest-plan.js';
import { pointsInsertSql } from './ingest-sql.js';
import { createTablesSql, HISTORY_TABLES, type StreamTables, SYSTEM_TABLES } from './stream-tables.js';

export interface SeriesPoint {
  step: number;
  value: number;
}

export interface SeriesOptions {
  /** Above this many points the series is downsampled with M4 to at most this many (default 1000). */
  maxPoints?: number;
  /** Inclusive step range to restrict the series to. */
  stepRange?: [number, number];
}

type MaxPoints = Pick<SeriesOptions, 'maxPoints'>;

// Each instance stages into its own tables, so two databases may share one engine.
let instances = 0;
/** Bounds the memory of one transaction when a long history is replayed. */
const BYTES_PER_TRANSACTION = 32 * 1024 * 1024;

/**
 * The browser-side cache of run histories: frames as ingested (`frames`) and every numeric value in long format
 * (`points`), queried for charts; system metrics samples likewise in `system_frames` and `system_points`, indexed
 * by runtime instead of step. Rebuildable at any time from the store.
 */
export class RunDatabase {
  private writes: Promise<unknown> = Promise.resolve();
  private readonly staging = `spyglass_staging_${instances++}`;
  /** Histograms ingested per run (rows of the `histograms` table), kept beside the table. */
  private readonly histogramTotals = new Map<string, number>();

  /** `planner` decodes frames into inserts (on this thread unless the page gives a worker-backed one). */
  constructor(
    private readonly engine: SqlEngine,
    private readonly planner: IngestPlanner = planOnThisThread,
  ) {}

  /** Creates the tables (idempotent). */
  async init(): Promise<void> {
    for (const tables of [HISTORY_TABLES, SYSTEM_TABLES]) {
      for (const sql of createTablesSql(tables)) await this.engine.query(sql);
    }
    await this.engine.query(CREATE_HISTOGRAMS_SQL);
  }

  /**
   * Ingests one frame payload (an Arrow IPC stream) and returns its row count; 0 if the frame was already
   * ingested. Calls are serialized, so concurrent callers keep their order.
   */
  ingestFrame(runId: string, seq: number, payload: Uint8Array): Promise<number> {
    return this.ingestFrames(runId, [{ seq, payload }]);
  }

  /**
   * Ingests several frames of one run and returns the rows added; frames already ingested are skipped. Frames
   * go in by transactions of up to 32 MiB of payload, each all or nothing. Much faster than one call per frame
   * when replaying a long history (0.4 ms instead of 9 ms per small frame).
   */
  ingestFrames(runId: string, frames: FrameInput[]): Promise<number> {
    return this.ingestInto(HISTORY_TABLES, runId, frames);
  }

  /** Ingests frames of a run's system metrics log (rows indexed by `_runtime`), as ingestFrames does history. */
  ingestSystemFrames(runId: string, frames: FrameInput[]): Promise<number> {
    return this.ingestInto(SYSTEM_TABLES, runId, frames);
  }

  private ingestInto(tables: StreamTables, runId: string, frames: FrameInput[]): Promise<number> {
    const next = this.writes.then(async () => {
      let rows = 0;
      for (let start = 0, end = 0; start < frames.length; start = end) {
        let bytes = 0;
        for (end = start; end < frames.length && (end === start || bytes < BYTES_PER_TRANSACTION); end++) {
          bytes += frames[end].payload.byteLength;
        }
        rows += await this.ingestNow(tables, runId, frames.slice(start, end));
      }
      return rows;
    });
    this.writes = next.catch(() => undefined);
    return next;
  }

  /** Rows ingested for a run (sum over its frames). */
  async rowCount(runId: string): Promise<number> {
    const rows = await this.query(
      `SELECT coalesce(sum(rows), 0)::BIGINT AS n FROM frames WHERE run_id = ${sqlString(runId)}`,
    );
    return Number(rows[0].n);
  }

  /** When the row of a step was logged (its `_timestamp`, Unix seconds), or null when the run has no such step. */
  async timeAtStep(runId: string, step: number): Promise<number | null> {
    const table = await this.engine.query(
      `SELECT max(ts) AS ts FROM points WHERE run_id = ${sqlString(runId)} AND step = ${sqlNumber(Math.round(step))}`,
    );
    const ts = table.getChild('ts')?.get(0);
    return ts === null || ts === undefined ? null : Number(ts);
  }

  /** Each numeric metric's value at the run's highest step (wandb's default summary), by metric name. */
  async latestValues(runId: string): Promise<Record<string, number>> {
    const table = await this.engine.query(
      `SELECT metric, arg_max(value, step) AS value FROM points WHERE run_id = ${sqlString(runId)} GROUP BY metric`,
    );
    const metrics = table.getChild('metric')?.toArray() ?? [];
    const values = table.getChild('value')?.toArray() ?? [];
    const latest: Record<string, number> = {};
    for (let i = 0; i < table.numRows; i++) latest[String(metrics[i])] = Number(values[i]);
    return latest;
  }

  /** Numeric metric names of a run, sorted. */
  metricNames(runId: string): Promise<string[]> {
    return this.distinctMetrics(HISTORY_TABLES, runId);
  }

  /** System metric names of a run (`system/...`), sorted. */
  systemMetricNames(runId: string): Promise<string[]> {
    return this.distinctMetrics(SYSTEM_TABLES, runId);
  }

  /** One system metric's finite points, with the runtime in seconds as `step` (the x of its chart). */
  systemSeries(runId: string, metric: string, options: MaxPoints = {}): Promise<SeriesPoint[]> {
    const where = `run_id = ${sqlString(runId)} AND metric = ${sqlString(metric)} AND isfinite(value)`;
    return this.downsampled(
      `(SELECT runtime AS step, value FROM system_points WHERE ${where})`,
      options.maxPoints,
    );
  }

  /**
   * One metric against another logged in the same rows (define_metric's step_metric, e.g. epoch), ordered by that
   * metric's value; empty when no row has both.
   */
  seriesAgainst(
    runId: string,
    metric: string,
    xMetric: string,
    options: MaxPoints = {},
  ): Promise<SeriesPoint[]> {
    const run = sqlString(runId);
    const source =
      `(SELECT x.value AS step, m.value AS value FROM points m JOIN points x ON x.run_id = m.run_id ` +
      `AND x.step = m.step AND x.metric = ${sqlString(xMetric)} WHERE m.run_id = ${run} ` +
      `AND m.metric = ${sqlString(metric)} AND isfinite(m.value) AND isfinite(x.value))`;
    return this.downsampled(source, options.maxPoints);
  }

  /** One metric's finite (step, value) points ordered by step, M4-downsampled above `maxPoints`. */
  async series(runId: string, metric: string, options: SeriesOptions = {}): Promise<SeriesPoint[]> {
    const maxPoints = options.maxPoints ?? 1000;
    // NaN and ±inf stay in `points` but not in a series: a chart cannot place them, and NaN sorts above every
    // number in DuckDB, so M4 would keep it instead of a bucket's real maximum.
    let where = `run_id = ${sqlString(runId)} AND metric = ${sqlString(metric)} AND isfinite(value)`;
    if (options.stepRange) {
      const [lo, hi] = options.stepRange;
      where += ` AND step BETWEEN ${sqlNumber(Math.floor(lo))} AND ${sqlNumber(Math.ceil(hi))}`;
    }
    return this.downsampled(`(SELECT step, value FROM points WHERE ${where})`, maxPoints);
  }

  /** Keys of a run that hold histograms (sg.Histogram, watch's `gradients/…`, `parameters/…`), sorted. */
  async histogramNames(runId: string): Promise<string[]> {
    const rows = await this.query(
      `SELECT DISTINCT metric FROM histograms WHERE run_id = ${sqlString(runId)} ORDER BY metric`,
    );
    return rows.map((r) => String(r.metric));
  }

  /**
   * How many histograms a run has in the cache: a panel redraws its heat strips only when this grows. Counted at
   * ingest, so the live redraw path asks DuckDB no extra query for it.
   */
  async histogramCount(runId: string): Promise<number> {
    return this.histogramTotals.get(runId) ?? 0;
  }

  /** One key's histograms ordered by step; above `maxSteps` (default 200) evenly thinned, the last kept. */
  async histogramSeries(runId: string, metric: string, maxSteps = 200): Promise<HistogramPoint[]> {
    return parseHistogramPoints(await this.query(histogramSeriesSql(runId, metric, maxSteps)));
  }

  /** Runs any SQL against the cache and returns plain row objects. */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    return toRows(await this.engine.query(sql));
  }

  private async distinctMetrics(tables: StreamTables, runId: string): Promise<string[]> {
    const table = await this.engine.query(
      `SELECT DISTINCT metric FROM ${tables.points} WHERE run_id = ${sqlString(runId)} ORDER BY metric`,
    );
    return table.getChild('metric')?.toArray() ?? [];
  }

  /** (step, value) rows of `source` ordered by step, M4-downsampled above `maxPoints`. */
  private async downsampled(source: string, maxPoints = 1000): Promise<SeriesPoint[]> {
    // One engine call for a series that fits (each call costs a few ms, and live panels make many): read one
    // row more than fits, and only when it is there run M4 over the whole series.
    let table = await this.engine.query(
      `SELECT step, value FROM ${source} ORDER BY step LIMIT ${Math.floor(maxPoints) + 1}`,
    );
    if (table.numRows > maxPoints) {
      table = await this.engine.query(
        m4Sql({ source, x: 'step', y: 'value', buckets: Math.max(1, Math.floor(maxPoints / 4)) }),
      );
    }
    const steps = table.getChild('step')?.toArray() ?? [];
    const values = table.getChild('value')?.toArray() ?? [];
    const points: SeriesPoint[] = new Array(table.numRows);
    for (let i = 0; i < table.numRows; i++) points[i] = { step: Number(steps[i]), value: values[i] };
    return points;
  }

  private async ingestNow(tables: StreamTables, runId: string, batch: FrameInput[]): Promise<number> {
    const run = sqlString(runId);
    const seqs = batch.map((f) => sqlNumber(f.seq)).join(', ');
    const known = await this.engine.query(
      `SELECT seq FROM ${tables.frames} WHERE run_id = ${run} AND seq IN (${seqs})`,
    );
    const skip = new Set<number>(Array.from(known.getChild('seq')?.toArray() ?? [], Number));
    const fresh: FrameInput[] = [];
    for (const frame of batch) {
      if (skip.has(frame.seq)) continue;
      skip.add(frame.seq); // the same seq twice in one batch counts once
      fresh.push(frame);
    }
    if (fresh.length === 0) return 0;
    // Outside the transaction: a damaged frame (DamagedFrameError) is reported as it is, not as an engine failure.
    const plan = await this.planner(runId, fresh, tables.indexColumn);
    const staged = plan.groups.map((g, i) => ({ ...g, table: `${this.staging}_${i}` }));

    const frames = staged.flatMap((g) => g.frames);
    const values = frames.map((f) => `(${run}, ${sqlNumber(f.seq)}, ${sqlNumber(f.rows)})`);
    // The staging tables are this instance's own (ingests are serialized), so they fill outside the transaction;
    // the rest is one engine call: a live frame waits behind a panel's queries once, not at every statement.
    const statements = [
      'BEGIN TRANSACTION',
      pointsInsertSql(runId, plan.metrics, staged, tables),
      histogramsInsertSql(runId, plan.histograms),
      `INSERT INTO ${tables.frames} VALUES ${values.join(', ')}`,
      ...staged.map((group) => `DROP TABLE ${sqlIdentifier(group.table)}`),
      'COMMIT',
    ];
    try {
      for (const group of staged) await this.engine.insertArrowIPC(group.table, group.ipc);
      await this.engine.query(statements.filter((sql) => sql).join(';\n'));
      if (plan.histograms.length > 0)
        this.histogramTotals.set(runId, (this.histogramTotals.get(runId) ?? 0) + plan.histograms.length);
      return frames.reduce((n, f) => n + f.rows, 0);
    } catch (cause) {
      // Staging tables a failure leaves behind are replaced by the next ingest (insertArrowIPC creates or replaces).
      await this.engine.query('ROLLBACK').catch(() => undefined);
      throw new IngestError(runId, fresh[0].seq, { cause });
    }
  }
}
