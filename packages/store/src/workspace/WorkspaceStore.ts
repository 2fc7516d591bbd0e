import type { HistogramsAnswer, RunListing } from '@spyglass/protocol';
import { toRows } from '../arrow-rows.js';
import type { SqlEngine } from '../engine.js';
import { runsTableIPC } from '../runs-table.js';
import { groupBands } from './bands.js';
import type {
  GroupBand,
  GroupBandQuery,
  LineSeries,
  LineSeriesQuery,
  LoadedMetric,
  LoadOptions,
  MemoryUsage,
  WorkspaceData,
  WorkspaceDataOptions,
  WorkspaceSource,
} from './data.js';
import { WorkspaceSourceError } from './data.js';
import { lineSeries } from './lines.js';
// Side-effect import: keeps workspace-lines' LineSeries augmentation in this file's published types.
import './lines.js';
import { LiveTail } from './live.js';
import { appendRuns, firstOverviewAxis, loadAxisOverview, loadSlot, type SlotLoadContext } from './load.js';
import { DEFAULT_BUDGET, makeRoom, memoryUsage } from './memory.js';
import { type ChartContext, xMetricOf } from './query.js';
import { MetricSlot, slotKey } from './slot.js';

/**
 * WorkspaceData over DuckDB-WASM (see data.ts for the contract, sql.ts for the SQL). The store
 * owns the state (loaded slots, run listing, listeners, the serial queue); loading, chart queries, memory and the
 * live tail live in the workspace-*.ts modules it hands that state to.
 */
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
  private readonly loader: SlotLoadContext;
  private readonly charts: ChartContext;

  constructor(options: WorkspaceDataOptions) {
    this.engine = options.engine;
    this.source = options.source;
    this.budget = options.memoryBudgetBytes ?? DEFAULT_BUDGET;
    this.loader = {
      engine: this.engine,
      source: this.source,
      budget: this.budget,
      localBytes: options.localMetricBytes ?? this.budget / 8,
      runCount: () => this.listing.runs.length,
      serial: (fn) => this.serial(fn),
      holds: (slot) => this.slots.get(slotKey(slot.metric, slot.xMetric)) === slot,
      makeRoom: (slot, needed) =>
        makeRoom(slot, needed, this.budget, [...this.slots.values()], (victim) => this.drop(victim)),
      rowsLoaded: (metric) => this.metricUpdated(metric, []),
    };
    this.charts = {
      engine: this.engine,
      serial: (fn) => this.serial(fn),
      listing: () => this.listing,
      axisOverview: (slot, axis) => loadAxisOverview(this.loader, slot, axis),
      window: (request) => {
        if (!this.source.window)
          throw new WorkspaceSourceError('metric_window', 0, 'this source answers no windows');
        return this.source.window(request);
      },
    };
    this.live = new LiveTail({
      source: options.source,
      slots: () => [...this.slots.values()],
      listing: () => this.listing,
      serial: (fn) => this.serial(fn),
      engine: this.engine,
      relist: () => this.listRuns().then(() => undefined),
      appendRuns: (slot, runIds) => appendRuns(this.loader, slot, runIds),
      updated: (metric, runIds) => this.metricUpdated(metric, runIds),
      hub: options.hub,
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
    const key = JSON.stringify(
      listing.runs.map((r) => [r.run_id, r.state, r.damaged, r.metrics.length, r.alerts?.length ?? 0]),
    );
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
    const slot = await this.slotFor(query.metric, xMetricOf(query.xAxis), { xAxis: query.xAxis });
    return lineSeries(this.charts, slot, query);
  }

  async groupBands(query: GroupBandQuery): Promise<GroupBand[]> {
    const slot = await this.slotFor(query.metric, xMetricOf(query.xAxis), { xAxis: query.xAxis });
    return groupBands(this.charts, slot, query);
  }

  async sql(query: string): Promise<Record<string, unknown>[]> {
    return toRows(await this.serial(() => this.engine.query(query)));
  }

  async histograms(metric: string, runIds: string[]): Promise<HistogramsAnswer> {
    if (!this.source.histograms)
      throw new WorkspaceSourceError('histograms', 0, 'this source serves no histograms');
    return this.source.histograms(metric, runIds);
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
    return memoryUsage([...this.slots.values()], this.budget);
  }

  async dispose(): Promise<void> {
    this.live.dispose();
    for (const slot of [...this.slots.values()]) await this.drop(slot).catch(() => undefined);
  }

  /** Runs engine work one piece at a time, so a live append never interleaves with a chart query. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private metricUpdated(metric: string, runIds: string[]): void {
    for (const listener of this.metricListeners) listener(metric, runIds);
  }

  /** The metric's slot once loaded (or its overview is in); the first caller starts the load. */
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
      slot.loading = loadSlot(this.loader, created, options, firstOverviewAxis(options, xMetric)).catch(
        async (error) => {
          this.slots.delete(key);
          await this.serial(() => created.dropTables(this.engine)).catch(() => undefined);
          throw error;
        },
      );
    }
    await slot.loading;
    slot.lastUsed = performance.now();
    return slot;
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
}

/** Creates the DuckDB-WASM implementation of WorkspaceData (call `listRuns()` first, then `startLive()`). */
export function createWorkspaceData(options: WorkspaceDataOptions): WorkspaceData {
  return new WorkspaceStore(options);
}
