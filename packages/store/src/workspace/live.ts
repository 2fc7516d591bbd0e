import type { Table } from 'apache-arrow';
import { tableFromCheckedIPC } from '../arrow-stream-check.js';
import type { SqlEngine } from '../engine.js';
import { readFramedLogPrefix } from '../framed-log.js';
import type { RunListing, WorkspaceSource } from './data.js';
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
}

/**
 * Keeps loaded metrics current while runs log: every `tailMs` it reads each running run's framed log after the
 * seq its loaded data reaches (the existing /history endpoint, as StoreFollower does) and appends the new rows;
 * every `listMs` it relists the runs and fetches runs that appeared (or started logging a loaded metric).
 */
export class LiveTail {
  private tailTimer: ReturnType<typeof setTimeout> | null = null;
  private listTimer: ReturnType<typeof setTimeout> | null = null;
  private running = false;

  constructor(private readonly options: LiveTailOptions) {}

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

  /** One tail pass over every run some loaded metric follows; exposed for tests and benchmarks. */
  async tailOnce(): Promise<void> {
    const slots = this.options.slots().filter((s) => s.fullReady);
    const runIds = new Set(slots.flatMap((s) => [...s.cursors.keys()]));
    const runs = new Map(this.options.listing().runs.map((r) => [r.run_id, r]));
    for (const runId of runIds) {
      const run = runs.get(runId);
      if (!run) continue;
      const following = slots.filter((s) => s.cursors.has(runId));
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
        );
        if (rows.step.length)
          await this.options.serial(() => slot.appendRows(this.options.engine, runId, rows));
        slot.cursors.set(runId, Math.max(from, lastSeq));
        if (rows.step.length) this.options.updated(slot.metric, [runId]);
      }
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

/** The rows of `metric` (and its x metric) in decoded frames; rows where the metric is null are left out. */
function rowsOf(tables: Table[], metric: string, xMetric: string | null): RunRows {
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
      rows.step.push(Number(step?.get(i) ?? 0));
      rows.wall.push(Number(wall?.get(i) ?? Number.NaN));
      rows.value.push(Number(v));
      if (rows.x) rows.x.push(x ? Number(x.get(i) ?? Number.NaN) : Number.NaN);
    }
  }
  return rows;
}
