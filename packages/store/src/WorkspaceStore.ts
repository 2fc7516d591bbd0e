import type { Table } from 'apache-arrow';
import { toRows } from './arrow-rows.js';
import { weightedEma } from './ema.js';
import type { SqlEngine } from './engine.js';
import { QueryError } from './errors.js';
import { parseMetricIPC } from './metric-ipc.js';
import { runsTableIPC } from './runs-table.js';
import {
  type BandPoint,
  type GroupBand,
  type GroupBandQuery,
  type LineSeries,
  type LineSeriesQuery,
  type LoadedMetric,
  type LoadOptions,
  type LoadPhase,
  type MemoryUsage,
  type MetricResponse,
  type RunListing,
  type WorkspaceData,
  type WorkspaceDataOptions,
  WorkspaceMemoryError,
  type WorkspaceSource,
  type XYPoint,
} from './workspace-data.js';
import { LiveTail } from './workspace-live.js';
import { messages } from './workspace-messages.js';
import { MetricSlot, slotKey } from './workspace-slot.js';
import {
  type MetricTables,
  type PyramidGrid,
  pyramidGrid,
  pyramidQuerySql,
  type RawAxis,
  rawCountSql,
  rawM4Sql,
  rawPointsSql,
  stepExtentSql,
} from './workspace-sql.js';

const DEFAULT_BUDGET = 1024 * 1024 * 1024;
const MAX_BUCKETS = 1000;
const DEFAULT_MAX_RAW = 1000;
/** DuckDB-WASM bytes per raw row (4 + 8 + 8 + 8 in columns, plus the pyramid's ~1/4 row of 100 bytes). */
const BYTES_PER_ROW = 56;
const BYTES_PER_X = 10;
/** Arrow IPC bytes per row on the wire (run, step, wall, value). */
const IPC_BYTES_PER_ROW = 28;

/** M4 buckets as columns (rows ordered by run, then q): four extreme points, sum and count of finite values. */
interface Buckets {
  length: number;
  run: ArrayLike<number>;
  q: ArrayLike<number>;
  x_first: ArrayLike<number>;
  y_first: ArrayLike<number>;
  x_last: ArrayLike<number>;
  y_last: ArrayLike<number>;
  x_min: ArrayLike<number>;
  y_min: ArrayLike<number>;
  x_max: ArrayLike<number>;
  y_max: ArrayLike<number>;
  y_sum: ArrayLike<number>;
  n: ArrayLike<number>;
}

/** WorkspaceData over DuckDB-WASM (see workspace-data.ts for the contract, workspace-sql.ts for the SQL). */
export class WorkspaceStore implements WorkspaceData {
  private readonly engine: SqlEngine;
  private readonly source: WorkspaceSource;
  private readonly budget: number;
  private readonly slots = new Map<string, MetricSlot>();
  private nextSlot = 0;
  private listing: RunListing = { runs: [], projects: [] };
  private listingKey = '';
  private readonly runsListeners = new Set<(listing: RunListing) => void>();
  private readonly metricListeners = new Set<(metric: string, runIds: string[]) => void>();
  private chain: Promise<unknown> = Promise.resolve();
  private readonly live: LiveTail;

  constructor(options: WorkspaceDataOptions) {
    this.engine = options.engine;
    this.source = options.source;
    this.budget = options.memoryBudgetBytes ?? DEFAULT_BUDGET;
    this.live = new LiveTail({
      source: options.source,
      slots: () => [...this.slots.values()],
      listing: () => this.listing,
      serial: (fn) => this.serial(fn),
      engine: this.engine,
      relist: () => this.listRuns().then(() => undefined),
      appendRuns: (slot, runIds) => this.appendRuns(slot, runIds),
      updated: (metric, runIds) => {
        for (const listener of this.metricListeners) listener(metric, runIds);
      },
    });
  }

  async listRuns(): Promise<RunListing> {
    const listing = await this.source.listRuns();
    const previous = new Set(this.listing.runs.map((r) => r.run_id));
    this.listing = listing;
    await this.serial(() => this.engine.insertArrowIPC('runs', runsTableIPC(listing.runs)));
    const present = new Set(listing.runs.map((r) => r.run_id));
    const gone = [...previous].filter((id) => !present.has(id));
    if (gone.length) await this.forgetRuns(gone);
    const key = JSON.stringify(listing.runs.map((r) => [r.run_id, r.state, r.damaged, r.metrics.length]));
    if (key !== this.listingKey) {
      this.listingKey = key;
      for (const listener of this.runsListeners) listener(listing);
    }
    return listing;
  }

  loadMetric(metric: string, options: LoadOptions = {}): Promise<LoadedMetric> {
    return this.slotFor(metric, options.xMetric ?? null, options).then((slot) => slot.describe());
  }

  async unloadMetric(metric: string): Promise<void> {
    for (const slot of [...this.slots.values()]) {
      if (slot.metric === metric) await this.drop(slot);
    }
  }

  async lineSeries(query: LineSeriesQuery): Promise<LineSeries[]> {
    const slot = await this.slotFor(query.metric, xMetricOf(query.xAxis));
    const buckets = clampBuckets(query.buckets);
    await this.servable(slot, query.xAxis, query.range, buckets);
    const maxRaw = query.maxRawPoints ?? DEFAULT_MAX_RAW;
    const results = new Map<string, LineSeries>();
    const active: number[] = [];
    for (const runId of query.runIds) {
      const reason = this.emptyReason(slot, runId);
      results.set(runId, { runId, points: [], downsampled: false, pointsInRange: 0, emptyReason: reason });
      if (reason === null) active.push(slot.runIndex.get(runId) as number);
    }
    if (active.length) {
      const perRun = await this.serial(() => this.queryLines(slot, active, query, buckets, maxRaw));
      for (const [run, line] of perRun) {
        const result = results.get(slot.runIds[run]);
        if (result) Object.assign(result, line);
      }
      for (const run of active) {
        const result = results.get(slot.runIds[run]);
        if (result && result.points.length === 0) result.emptyReason = messages.noPointsInRange;
      }
    }
    if (query.smoothing) {
      for (const result of results.values()) {
        if (!result.smoothingInput) continue;
        const smoothed = weightedEma(result.smoothingInput.buckets, query.smoothing.ema);
        result.raw = result.points;
        result.points = result.smoothingInput.xs.map((x, i) => ({ x, y: smoothed[i] }));
      }
    }
    for (const result of results.values()) delete result.smoothingInput;
    return [...results.values()];
  }

  async groupBands(query: GroupBandQuery): Promise<GroupBand[]> {
    const slot = await this.slotFor(query.metric, xMetricOf(query.xAxis));
    const buckets = clampBuckets(query.buckets);
    await this.servable(slot, query.xAxis, query.range, buckets);
    const runs = new Set<number>();
    for (const group of query.groups) {
      for (const runId of group.runIds)
        if (this.emptyReason(slot, runId) === null) runs.add(slot.runIndex.get(runId) as number);
    }
    const { rows, center } = await this.serial(() => this.bucketMeans(slot, [...runs], query, buckets));
    // Per run: bucket → mean (smoothed per run first when asked).
    const means = new Map<number, Map<number, number>>();
    for (const [run, [start, end]] of runSpans(rows)) {
      const values: { y: number; n: number }[] = [];
      for (let i = start; i < end; i++) values.push({ y: rows.y_sum[i] / rows.n[i], n: rows.n[i] });
      const ys = query.smoothing ? weightedEma(values, query.smoothing.ema) : values.map((v) => v.y);
      const byQ = new Map<number, number>();
      for (let i = start; i < end; i++) byQ.set(rows.q[i], ys[i - start]);
      means.set(run, byQ);
    }
    return query.groups.map((group) => {
      const acc = new Map<number, { min: number; max: number; sum: number; runs: number }>();
      for (const runId of group.runIds) {
        const run = slot.runIndex.get(runId);
        const m = run === undefined ? undefined : means.get(run);
        if (!m) continue;
        for (const [q, y] of m) {
          if (!Number.isFinite(y)) continue;
          const a = acc.get(q);
          if (a) {
            a.min = Math.min(a.min, y);
            a.max = Math.max(a.max, y);
            a.sum += y;
            a.runs++;
          } else acc.set(q, { min: y, max: y, sum: y, runs: 1 });
        }
      }
      const points: BandPoint[] = [...acc.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([q, a]) => ({ x: center(q), min: a.min, max: a.max, mean: a.sum / a.runs, runs: a.runs }));
      return { key: group.key, points };
    });
  }

  async sql(query: string): Promise<Record<string, unknown>[]> {
    return toRows(await this.serial(() => this.engine.query(query)));
  }

  onRunsChanged(listener: (listing: RunListing) => void): () => void {
    this.runsListeners.add(listener);
    return () => this.runsListeners.delete(listener);
  }

  onMetricUpdated(listener: (metric: string, runIds: string[]) => void): () => void {
    this.metricListeners.add(listener);
    return () => this.metricListeners.delete(listener);
  }

  startLive(options: { tailMs?: number; listMs?: number } = {}): void {
    this.live.start(options);
  }

  stopLive(): void {
    this.live.stop();
  }

  /** One live pass now (tail running runs, then relist): what the timers of startLive do, for tests and benches. */
  async pollLive(): Promise<void> {
    await this.live.tailOnce();
    await this.live.listOnce();
  }

  memory(): MemoryUsage {
    const slots = [...this.slots.values()].filter((s) => s.ready).sort((a, b) => a.lastUsed - b.lastUsed);
    return {
      usedBytes: slots.reduce((n, s) => n + s.bytes, 0),
      budgetBytes: this.budget,
      metrics: slots.map((s) => s.metric),
    };
  }

  async dispose(): Promise<void> {
    this.live.stop();
    for (const slot of [...this.slots.values()]) await this.drop(slot).catch(() => undefined);
  }

  /** Runs engine work one piece at a time, so a live append never interleaves with a chart query. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Waits for the metric's raw rows unless the overview alone answers the query exactly enough: the step axis at
   * a zoom whose level is the overview's or coarser.
   */
  private async servable(
    slot: MetricSlot,
    xAxis: string,
    range: [number, number] | undefined,
    buckets: number,
  ) {
    if (slot.rawReady) return;
    if (rawAxis(xAxis).kind === 'step' && slot.overviewLevel !== null) {
      let maxStep = 0;
      for (const s of slot.stats.values()) maxStep = Math.max(maxStep, s.maxStep);
      const [x0, x1] = range ?? [0, maxStep];
      const grid = pyramidGrid(x0, x1, buckets, slot.maxLevel);
      if (grid && grid.level >= slot.overviewLevel) return;
    }
    await slot.full;
  }

  private emptyReason(slot: MetricSlot, runId: string): string | null {
    const listed = this.listing.runs.find((r) => r.run_id === runId);
    if (!listed) return messages.runGone;
    const run = slot.runIndex.get(runId);
    if (run === undefined) {
      if (slot.skipped[runId]) return slot.skipped[runId];
      if (listed.damaged) return messages.damaged(listed.damaged);
      return messages.notLogged(slot.metric);
    }
    const stats = slot.stats.get(run);
    if (!stats || stats.rows === 0) return messages.notLogged(slot.metric);
    if (stats.finite === 0) return messages.allNonFinite(slot.metric);
    return null;
  }

  private async slotFor(
    metric: string,
    xMetric: string | null,
    options: LoadOptions = {},
  ): Promise<MetricSlot> {
    const key = slotKey(metric, xMetric);
    let slot = this.slots.get(key);
    if (!slot) {
      slot = new MetricSlot(metric, xMetric, this.nextSlot++);
      this.slots.set(key, slot);
      const created = slot;
      slot.loading = this.load(created, options).catch(async (error) => {
        this.slots.delete(key);
        await this.serial(() => created.dropTables(this.engine)).catch(() => undefined);
        throw error;
      });
    }
    await slot.loading;
    slot.lastUsed = performance.now();
    return slot;
  }

  /**
   * Loads a metric: first the server's overview (one pyramid level, enough for the whole-range chart), so the
   * first paint does not wait; then, in the background, the raw rows and the full pyramid (`slot.full`). A source
   * that answers rows straight away (no overview) goes to the full load at once.
   */
  private async load(slot: MetricSlot, options: LoadOptions): Promise<void> {
    const progress = (phase: LoadPhase, loaded: number, total: number | null) =>
      options.onProgress?.({ metric: slot.metric, phase, loadedBytes: loaded, totalBytes: total });
    progress('fetching', 0, null);
    const perRow = BYTES_PER_ROW + (slot.xMetric ? BYTES_PER_X : 0);
    const request = {
      metric: slot.metric,
      runIds: [],
      xMetric: slot.xMetric ?? undefined,
      onProgress: (loaded: number, total: number | null) => progress('fetching', loaded, total),
      maxBytes: Math.floor((this.budget / perRow) * (IPC_BYTES_PER_ROW + (slot.xMetric ? 8 : 0))),
    };
    const first = withRows(await this.source.metric({ ...request, overviewBuckets: MAX_BUCKETS }));
    if (!first.overview) {
      await this.loadRows(slot, first, perRow, progress);
      return;
    }
    let rows = 0;
    for (const s of Object.values(first.overview.stats)) rows += s.rows;
    await this.makeRoom(slot, rows * perRow);
    await this.serial(() => slot.ingestOverview(this.engine, first));
    slot.bytes = rows * perRow;
    slot.ready = true;
    progress('ready', first.ipc.byteLength, first.ipc.byteLength);
    slot.full = (async () => {
      const response = withRows(await this.source.metric(request));
      await this.loadRows(slot, response, perRow, progress);
      for (const listener of this.metricListeners) listener(slot.metric, []);
    })();
    slot.full.catch(() => undefined); // reported to whoever awaits it (a query that needs the rows)
  }

  private async loadRows(
    slot: MetricSlot,
    response: MetricResponse,
    perRow: number,
    progress: (phase: LoadPhase, loaded: number, total: number | null) => void,
  ): Promise<void> {
    // Evicted or unloaded while the rows were on their way: do not bring its tables back.
    if (this.slots.get(slotKey(slot.metric, slot.xMetric)) !== slot) return;
    const rows = response.rows ?? 0;
    const needed = rows * perRow;
    await this.makeRoom(slot, needed);
    progress('ingesting', response.ipc.byteLength, response.ipc.byteLength);
    await this.serial(() =>
      guardMemory(slot.metric, needed, this.budget, () => slot.ingest(this.engine, response, rows)),
    );
    progress('indexing', response.ipc.byteLength, response.ipc.byteLength);
    // One serial step at a time: chart queries (answered from the raw rows meanwhile) run in between.
    for (const step of slot.pyramidSteps()) {
      await this.serial(() => guardMemory(slot.metric, needed, this.budget, () => step(this.engine)));
    }
    slot.bytes = needed;
    slot.overviewLevel = null;
    slot.ready = true;
    slot.fullReady = true;
    progress('ready', response.ipc.byteLength, response.ipc.byteLength);
  }

  /** Adds runs that appeared after the metric was loaded (a new run, a run that started logging it). */
  private async appendRuns(slot: MetricSlot, runIds: string[]): Promise<string[]> {
    const response = await this.source.metric({
      metric: slot.metric,
      runIds,
      xMetric: slot.xMetric ?? undefined,
    });
    const parsed: MetricResponse = response.rows === undefined ? parseMetricIPC(response.ipc) : response;
    return this.serial(() => slot.append(this.engine, parsed));
  }

  private async makeRoom(slot: MetricSlot, needed: number): Promise<void> {
    if (needed > this.budget) throw new WorkspaceMemoryError(slot.metric, needed, this.budget);
    const others = [...this.slots.values()]
      .filter((s) => s !== slot && s.ready)
      .sort((a, b) => a.lastUsed - b.lastUsed);
    let used = others.reduce((n, s) => n + s.bytes, 0);
    for (const victim of others) {
      if (used + needed <= this.budget) break;
      used -= victim.bytes;
      await this.drop(victim);
    }
  }

  private async drop(slot: MetricSlot): Promise<void> {
    this.slots.delete(slotKey(slot.metric, slot.xMetric));
    await this.serial(() => slot.dropTables(this.engine));
  }

  private async forgetRuns(runIds: string[]): Promise<void> {
    await this.serial(async () => {
      for (const slot of this.slots.values()) if (slot.fullReady) await slot.forget(this.engine, runIds);
    });
  }

  private async queryLines(
    slot: MetricSlot,
    runs: number[],
    query: LineSeriesQuery,
    buckets: number,
    maxRaw: number,
  ): Promise<Map<number, LineResult>> {
    const out = new Map<number, LineResult>();
    const axis = rawAxis(query.xAxis);
    let rawRuns = runs;
    if (axis.kind === 'step') {
      const range = query.range ?? (await this.stepExtent(slot, runs));
      let grid = range ? pyramidGrid(range[0], range[1], buckets, slot.maxLevel) : null;
      // While the pyramid builds, only the overview's levels exist: finer zooms read the raw rows.
      if (grid && !slot.fullReady && grid.level < (slot.overviewLevel ?? Number.POSITIVE_INFINITY))
        grid = null;
      if (grid) {
        rawRuns = [];
        const rows = await this.bucketRows(pyramidQuerySql(slot.tables, grid, this.pyramidRead(slot, runs)));
        const spans = runSpans(rows);
        for (const run of runs) {
          const [start, end] = spans.get(run) ?? [0, 0];
          let total = 0;
          for (let i = start; i < end; i++) total += rows.n[i];
          // Before the raw rows arrive, a short line is drawn from the overview too (re-queried once they are in).
          if (total <= maxRaw && slot.rawReady) rawRuns.push(run);
          else out.set(run, m4Line(rows, start, end, total, query.smoothing !== undefined));
        }
      }
    }
    const smooth = query.smoothing !== undefined;
    if (rawRuns.length)
      await this.rawLines(slot.tables, rawRuns, axis, query.range, buckets, maxRaw, smooth, out);
    return out;
  }

  private async rawLines(
    tables: MetricTables,
    runs: number[],
    axis: RawAxis,
    range: [number, number] | undefined,
    buckets: number,
    maxRaw: number,
    smooth: boolean,
    out: Map<number, LineResult>,
  ): Promise<void> {
    const counts = toRows(await this.engine.query(rawCountSql(tables, runs, axis, range))) as {
      run: number;
      n: number;
      x0: number;
      x1: number;
    }[];
    const small = counts.filter((c) => c.n <= maxRaw).map((c) => c.run);
    const big = counts.filter((c) => c.n > maxRaw);
    if (small.length) {
      const table = await this.engine.query(rawPointsSql(tables, small, axis, range));
      const run = table.getChild('run')?.toArray() as Int32Array;
      const xs = table.getChild('x')?.toArray() as Float64Array;
      const ys = table.getChild('y')?.toArray() as Float64Array;
      for (let i = 0; i < table.numRows; i++) {
        let line = out.get(run[i]);
        if (!line) {
          line = {
            points: [],
            downsampled: false,
            pointsInRange: 0,
            smoothingInput: smooth ? { xs: [], buckets: [] } : undefined,
          };
          out.set(run[i], line);
        }
        line.points.push({ x: xs[i], y: ys[i] });
        line.pointsInRange++;
        line.smoothingInput?.xs.push(xs[i]);
        line.smoothingInput?.buckets.push({ y: ys[i], n: 1 });
      }
    }
    if (big.length) {
      const x0 = range ? range[0] : Math.min(...big.map((c) => c.x0));
      const x1 = range ? range[1] : Math.max(...big.map((c) => c.x1));
      const rows = await this.bucketRows(
        rawM4Sql(
          tables,
          big.map((c) => c.run),
          axis,
          { x0, x1, buckets },
          range,
        ),
      );
      for (const [run, [start, end]] of runSpans(rows)) {
        let total = 0;
        for (let i = start; i < end; i++) total += rows.n[i];
        out.set(run, m4Line(rows, start, end, total, smooth));
      }
    }
  }

  private async bucketMeans(
    slot: MetricSlot,
    runs: number[],
    query: GroupBandQuery,
    buckets: number,
  ): Promise<{ rows: Buckets; center: (q: number) => number }> {
    if (!runs.length) return { rows: emptyBuckets(), center: (q) => q };
    const axis = rawAxis(query.xAxis);
    if (axis.kind === 'step') {
      const range = query.range ?? (await this.stepExtent(slot, runs));
      let grid: PyramidGrid | null = range ? pyramidGrid(range[0], range[1], buckets, slot.maxLevel) : null;
      if (grid && !slot.fullReady && grid.level < (slot.overviewLevel ?? Number.POSITIVE_INFINITY))
        grid = null;
      if (grid) {
        const rows = await this.bucketRows(pyramidQuerySql(slot.tables, grid, this.pyramidRead(slot, runs)));
        return { rows, center: (q) => grid.origin + (q + 0.5) * grid.width - 0.5 };
      }
    }
    let range = query.range;
    if (!range) {
      const counts = toRows(await this.engine.query(rawCountSql(slot.tables, runs, axis))) as {
        x0: number;
        x1: number;
      }[];
      if (!counts.length) return { rows: emptyBuckets(), center: (q) => q };
      range = [Math.min(...counts.map((c) => c.x0)), Math.max(...counts.map((c) => c.x1))];
    }
    const [x0, x1] = range;
    const rows = await this.bucketRows(rawM4Sql(slot.tables, runs, axis, { x0, x1, buckets }, range));
    const width = (x1 - x0) / buckets;
    return { rows, center: (q) => x0 + (q + 0.5) * width };
  }

  private async stepExtent(slot: MetricSlot, runs: number[]): Promise<[number, number] | null> {
    const [row] = toRows(await this.engine.query(stepExtentSql(slot.tables, runs, slot.maxLevel)));
    if (!row || row.x0 === null || row.x1 === null) return null;
    return [Number(row.x0), Number(row.x1)];
  }

  private pyramidRead(slot: MetricSlot, runs: number[]) {
    // Asking for every run of the metric: no run filter (an IN list of 100 runs costs more than the scan).
    const all = runs.length >= slot.stats.size && [...slot.stats.keys()].every((r) => runs.includes(r));
    return { runs: all ? null : runs, exactEdges: slot.rawReady };
  }

  private async bucketRows(sql: string): Promise<Buckets> {
    const table = await this.engine.query(sql);
    return columnsToBuckets(table);
  }
}

interface LineResult {
  points: XYPoint[];
  downsampled: boolean;
  pointsInRange: number;
  smoothingInput?: { xs: number[]; buckets: { y: number; n: number }[] };
}

declare module './workspace-data.js' {
  interface LineSeries {
    /** Internal: the EMA input, removed before the result is returned. */
    smoothingInput?: { xs: number[]; buckets: { y: number; n: number }[] };
  }
}

/** The four extreme points of buckets [start, end) in x order (repeats dropped), and the EMA input per bucket. */
function m4Line(b: Buckets, start: number, end: number, total: number, smooth: boolean): LineResult {
  const points: XYPoint[] = [];
  const xs: number[] = [];
  const buckets: { y: number; n: number }[] = [];
  const px = [0, 0, 0, 0];
  const py = [0, 0, 0, 0];
  let lastX = Number.NaN;
  let lastY = Number.NaN;
  for (let i = start; i < end; i++) {
    px[0] = b.x_first[i];
    py[0] = b.y_first[i];
    // The extremes lie between first and last; order the two by x.
    const lowFirst = b.x_min[i] <= b.x_max[i];
    px[1] = lowFirst ? b.x_min[i] : b.x_max[i];
    py[1] = lowFirst ? b.y_min[i] : b.y_max[i];
    px[2] = lowFirst ? b.x_max[i] : b.x_min[i];
    py[2] = lowFirst ? b.y_max[i] : b.y_min[i];
    px[3] = b.x_last[i];
    py[3] = b.y_last[i];
    for (let k = 0; k < 4; k++) {
      if (px[k] === lastX && py[k] === lastY) continue;
      lastX = px[k];
      lastY = py[k];
      points.push({ x: lastX, y: lastY });
    }
    if (!smooth) continue;
    xs.push(b.x_last[i]);
    buckets.push({ y: b.y_sum[i] / b.n[i], n: b.n[i] });
  }
  return {
    points,
    downsampled: true,
    pointsInRange: total,
    smoothingInput: smooth ? { xs, buckets } : undefined,
  };
}

/** run → [start, end) of its rows (the rows are ordered by run). */
function runSpans(b: Buckets): Map<number, [number, number]> {
  const spans = new Map<number, [number, number]>();
  let start = 0;
  for (let i = 1; i <= b.length; i++) {
    if (i === b.length || b.run[i] !== b.run[start]) {
      spans.set(b.run[start], [start, i]);
      start = i;
    }
  }
  return spans;
}

const BUCKET_COLUMNS = [
  'run',
  'q',
  'x_first',
  'y_first',
  'x_last',
  'y_last',
  'x_min',
  'y_min',
  'x_max',
  'y_max',
  'y_sum',
  'n',
] as const;

function emptyBuckets(): Buckets {
  const out: Record<string, unknown> = { length: 0 };
  for (const name of BUCKET_COLUMNS) out[name] = [];
  return out as unknown as Buckets;
}

/** The query result's columns as number arrays (64-bit integers converted), without one object per row. */
function columnsToBuckets(table: Table): Buckets {
  const out: Record<string, unknown> = { length: table.numRows };
  for (const name of BUCKET_COLUMNS) {
    const values = table.getChild(name)?.toArray() as ArrayLike<number | bigint> | undefined;
    out[name] = !values
      ? new Float64Array(table.numRows)
      : typeof values[0] === 'bigint'
        ? Float64Array.from(values as ArrayLike<bigint>, Number)
        : values;
  }
  return out as unknown as Buckets;
}

function clampBuckets(buckets: number): number {
  return Math.max(1, Math.min(MAX_BUCKETS, Math.floor(Number.isFinite(buckets) ? buckets : MAX_BUCKETS)));
}

function xMetricOf(xAxis: string): string | null {
  return xAxis === 'step' || xAxis === 'wall' || xAxis === 'relative' ? null : xAxis;
}

function rawAxis(xAxis: string): RawAxis {
  if (xAxis === 'step' || xAxis === 'wall' || xAxis === 'relative') return { kind: xAxis };
  return { kind: 'metric' };
}

/** Runs `fn`, turning the engine's out-of-memory failure into the typed, user-facing error. */
async function guardMemory<T>(
  metric: string,
  needed: number,
  budget: number,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const text = error instanceof QueryError ? String(error.cause) : String(error);
    if (/out of memory|memory access out of bounds|could not allocate|Cannot enlarge memory/i.test(text)) {
      throw new WorkspaceMemoryError(metric, needed, budget);
    }
    throw error;
  }
}

/** Creates the DuckDB-WASM implementation of WorkspaceData (call `listRuns()` first, then `startLive()`). */
export function createWorkspaceData(options: WorkspaceDataOptions): WorkspaceData {
  return new WorkspaceStore(options);
}

function withRows(response: MetricResponse): MetricResponse {
  return response.rows === undefined ? { ...response, ...parseMetricIPC(response.ipc) } : response;
}
