import type { RunListing } from '@spyglass/protocol';
import type { Table } from 'apache-arrow';
import { tableFromCheckedIPC } from '../arrow-stream-check.js';
import type { SqlEngine } from '../engine.js';
import { readFramedLogPrefix } from '../framed-log.js';
import type { WorkspaceSource } from './data.js';
import { appendHubRows, type HubRows } from './hub-rows.js';
import type { MetricSlot, RunRows } from './slot.js';

export interface LiveTailOptions {
  source: WorkspaceSource;
  engine: SqlEngine;
  slots: () => MetricSlot[];
  listing: () => RunListing;
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
  relist: () => Promise<void>;
  appendRuns: (slot: MetricSlot, runIds: string[]) => Promise<string[]>;
  updated: (metric: string, runIds: string[]) => void;
  /** The page's run hub on the same database: runs it delivers are read from its rows, never polled. */
  hub?: HubRows;
}

/**
 * Keeps loaded metrics current while runs log: every `tailMs` it appends each running run's new rows, from the
 * page's run hub when a kernel delivers the run (the rows are already in the same database) and otherwise from the
 * run's framed log after the seq its loaded data reaches (the /history endpoint, as StoreFollower reads it). Both
 * ways append only steps above the slot's last one, so a run that changes hands loses and repeats nothing. Every
 * `listMs` it relists the runs and fetches runs that appeared (or started logging a loaded metric).
 */
export class LiveTail {
  private tailTimer: ReturnType<typeof setTimeout> | null = null;
  private listTimer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  /** Per run, how many times the hub said its rows grew; per slot and run, the count its last hub read saw. */
  private readonly hubGrowth = new Map<string, number>();
  private readonly hubRead = new WeakMap<MetricSlot, Map<string, number>>();
  private readonly noteHubRows = (_hub: unknown, runId: string) => {
    this.hubGrowth.set(runId, (this.hubGrowth.get(runId) ?? 0) + 1);
  };

  constructor(private readonly options: LiveTailOptions) {
    options.hub?.historyIngested.connect(this.noteHubRows);
  }

  start({ tailMs = 150, listMs = 5000 }: { tailMs?: number; listMs?: number } = {}): void {
    if (this.running) return;
    this.running = true;
    const loop = (
      interval: number,
      work: () => Promise<void>,
      set: (t: ReturnType<typeof setTimeout>) => void,
    ) => {
      const step = async () => {
        try {
          await work();
        } catch (error) {
          console.warn('Spyglass workspace: live update failed', error);
        }
        if (this.running) set(setTimeout(step, interval));
      };
      set(setTimeout(step, interval));
    };
    loop(
      tailMs,
      () => this.tailOnce(),
      (t) => (this.tailTimer = t),
    );
    loop(
      listMs,
      () => this.listOnce(),
      (t) => (this.listTimer = t),
    );
  }

  stop(): void {
    this.running = false;
    if (this.tailTimer) clearTimeout(this.tailTimer);
    if (this.listTimer) clearTimeout(this.listTimer);
    this.tailTimer = this.listTimer = null;
  }

  dispose(): void {
    this.stop();
    this.options.hub?.historyIngested.disconnect(this.noteHubRows);
  }

  /** One tail pass over every run some loaded metric follows; exposed for tests and benchmarks. */
  async tailOnce(): Promise<void> {
    const slots = this.options.slots().filter((s) => s.fullReady);
    const runIds = new Set(slots.flatMap((s) => [...s.cursors.keys()]));
    const runs = new Map(this.options.listing().runs.map((r) => [r.run_id, r]));
    for (const runId of runIds) {
      const run = runs.get(runId);
      if (!run) continue;
      const following = slots.filter((s) => s.cursors.has(runId));
      if (this.options.hub?.deliversLive(runId)) {
        await this.tailFromHub(runId, following);
        continue;
      }
      const after = Math.min(...following.map((s) => s.cursors.get(runId) as number));
      const bytes = await this.options.source.history(run.run_dir, after);
      const frames = readFramedLogPrefix(bytes, { anyFirstSeq: true }).frames;
      if (!frames.length) {
        // A finished run's last frames were read on an earlier pass: stop following it.
        if (run.state !== 'running') for (const s of following) s.cursors.delete(runId);
        continue;
      }
      const decoded = frames.flatMap((f) => decodeFrame(runId, f.seq, f.payload));
      const lastSeq = frames[frames.length - 1].seq;
      for (const slot of following) {
        const from = slot.cursors.get(runId) as number;
        const rows = rowsOf(
          decoded.filter((d) => d.seq > from).map((d) => d.table),
          slot.metric,
          slot.xMetric,
          slot.maxStepOf(runId),
        );
        if (rows.step.length)
          await this.options.serial(() => slot.appendRows(this.options.engine, runId, rows));
        slot.cursors.set(runId, Math.max(from, lastSeq));
        if (rows.step.length) this.options.updated(slot.metric, [runId]);
      }
    }
  }

  /** Appends the hub's new rows of a run to every slot following it; a slot reads only after the hub grew. */
  private async tailFromHub(runId: string, following: MetricSlot[]): Promise<void> {
    const growth = this.hubGrowth.get(runId) ?? 0;
    for (const slot of following) {
      const read = this.hubRead.get(slot) ?? new Map<string, number>();
      this.hubRead.set(slot, read);
      if (read.get(runId) === growth) continue;
      // Noted before the read: rows ingested while it runs raise the count, so the next pass reads again.
      read.set(runId, growth);
      const added = await this.options.serial(() => appendHubRows(this.options.engine, slot, runId));
      if (added > 0) this.options.updated(slot.metric, [runId]);
    }
  }

  /** Relists the runs and loads, for every loaded metric, the runs it does not hold yet. */
  async listOnce(): Promise<void> {
    await this.options.relist();
    const listing = this.options.listing();
    for (const slot of this.options.slots().filter((s) => s.fullReady)) {
      const missing = listing.runs
        .filter(
          (r) =>
            (r.metrics.includes(slot.metric) || r.state === 'running') &&
            !slot.runIndex.has(r.run_id) &&
            !slot.cursors.has(r.run_id) &&
            !(r.run_id in slot.skipped),
        )
        .map((r) => r.run_id);
      if (!missing.length) continue;
      const fresh = await this.options.appendRuns(slot, missing);
      if (fresh.length) this.options.updated(slot.metric, fresh);
    }
  }
}

/** One frame's table, or nothing for a damaged frame: it is skipped (once, as the cursor moves past it). */
function decodeFrame(runId: string, seq: number, payload: Uint8Array): { seq: number; table: Table }[] {
  try {
    return [{ seq, table: tableFromCheckedIPC(payload) }];
  } catch (error) {
    console.warn(`Spyglass workspace: frame ${seq} of run ${runId} is damaged and left out`, error);
    return [];
  }
}

/**
 * The rows of `metric` (and its x metric) in decoded frames after `afterStep`; rows where the metric is null are
 * left out, and so are steps the slot holds already (read from the hub before a handover).
 */
function rowsOf(tables: Table[], metric: string, xMetric: string | null, afterStep: number): RunRows {
  const rows: RunRows = { step: [], wall: [], value: [], ...(xMetric ? { x: [] } : {}) };
  for (const table of tables) {
    const value = table.getChild(metric);
    if (!value) continue;
    const step = table.getChild('_step');
    const wall = table.getChild('_timestamp');
    const x = xMetric ? table.getChild(xMetric) : null;
    for (let i = 0; i < table.numRows; i++) {
      const v = value.get(i);
      if (v === null || v === undefined || typeof v === 'string') continue;
      const s = Number(step?.get(i) ?? 0);
      if (s <= afterStep) continue;
      rows.step.push(s);
      rows.wall.push(Number(wall?.get(i) ?? Number.NaN));
      rows.value.push(Number(v));
      if (rows.x) rows.x.push(x ? Number(x.get(i) ?? Number.NaN) : Number.NaN);
    }
  }
  return rows;
}
