import type { FrameChunk, RunInfo } from '@spyglass/protocol';
import { FrameAssembler, RunDatabase, SequenceTracker, type SqlEngine } from '@spyglass/store';
import { describeError, messages } from '@spyglass/widgets';
import { RunEntry } from './RunEntry.js';

/** Timings the debug command reports (milliseconds, from performance.now()). */
export interface HubStats {
  engineStartMs: number | null;
  framesIngested: number;
  /** Time from a frame's arrival to its rows being queryable, for the latest frame. */
  lastIngestMs: number | null;
  lastFrameArrivedAt: number | null;
}

/**
 * The page-wide cache of every run this page has seen: one DuckDB-WASM database, one sequence tracker and
 * frame assembler, and a RunEntry (with its change signal) per run. Frames from live comms, replays and the
 * store all pass through the tracker, so each frame is ingested exactly once and in order.
 */
export class RunHub {
  private readonly runs = new Map<string, RunEntry>();
  private readonly tracker = new SequenceTracker();
  private readonly assembler = new FrameAssembler();
  private databasePromise: Promise<RunDatabase> | null = null;
  private engine: SqlEngine | null = null;
  private ingestChain: Promise<void> = Promise.resolve();
  private readonly statsValue: HubStats = {
    engineStartMs: null,
    framesIngested: 0,
    lastIngestMs: null,
    lastFrameArrivedAt: null,
  };
  private disposed = false;

  constructor(private readonly startEngine: () => Promise<SqlEngine>) {}

  /** The shared database, started on first use. */
  database(): Promise<RunDatabase> {
    if (!this.databasePromise) {
      const started = performance.now();
      this.databasePromise = this.startEngine().then(async (engine) => {
        this.engine = engine;
        const database = new RunDatabase(engine);
        await database.init();
        this.statsValue.engineStartMs = performance.now() - started;
        return database;
      });
      this.databasePromise.catch((error) => {
        const message = messages.engineFailed(describeError(error));
        for (const entry of this.runs.values()) entry.setProblem({ kind: 'failed', message });
      });
    }
    return this.databasePromise;
  }

  /** The entry of a run, created on first mention. */
  run(runId: string): RunEntry {
    let entry = this.runs.get(runId);
    if (!entry) {
      entry = new RunEntry(runId, () => this.database());
      this.runs.set(runId, entry);
    }
    return entry;
  }

  /** Applies run metadata from a kernel `hello`/`run_updated` or the store. */
  updateRun(info: Partial<RunInfo> & { run_id: string }): void {
    this.run(info.run_id).update(info);
  }

  /** Highest sequence number ingested (or queued) for a run, -1 when none. */
  lastSeq(runId: string): number {
    return this.tracker.lastSeq(runId);
  }

  /** Adds one comm buffer; returns the seq to replay after when a gap was found, else null. */
  offerChunk(chunk: FrameChunk, buffer: Uint8Array): number | null {
    const frame = this.assembler.add(chunk, buffer);
    if (!frame) return null;
    return this.offerFrame(frame.runId, frame.seq, frame.payload);
  }

  /** Offers one whole frame (live, replayed or from the store); returns the gap to replay after, or null. */
  offerFrame(runId: string, seq: number, payload: Uint8Array): number | null {
    const arrived = performance.now();
    this.statsValue.lastFrameArrivedAt = arrived;
    const { ready, gapAfter } = this.tracker.offer(runId, seq, payload);
    if (ready.length > 0) this.ingest(runId, ready, arrived);
    return gapAfter;
  }

  /** Marks a run as known to have no more data to wait for (e.g. the store had nothing yet). */
  markLoaded(runId: string): void {
    this.ingestChain = this.ingestChain.then(() => this.run(runId).markReady());
  }

  /** Refuses every run still waiting for data, with a message its panels show. */
  refuseWaitingRuns(message: string): void {
    for (const entry of this.runs.values()) {
      if (entry.status().kind === 'loading') entry.setProblem({ kind: 'refused', message });
    }
  }

  stats(): HubStats {
    return { ...this.statsValue };
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const entry of this.runs.values()) entry.dispose();
    this.runs.clear();
    this.engine?.close().catch((error) => console.warn('Spyglass: closing DuckDB-WASM failed', error));
    this.engine = null;
  }

  private ingest(runId: string, frames: { seq: number; payload: Uint8Array }[], arrived: number): void {
    this.ingestChain = this.ingestChain.then(async () => {
      const entry = this.run(runId);
      try {
        const database = await this.database();
        for (const frame of frames) await database.ingestFrame(runId, frame.seq, frame.payload);
        this.statsValue.framesIngested += frames.length;
        this.statsValue.lastIngestMs = performance.now() - arrived;
        entry.markReady();
      } catch (error) {
        console.error('Spyglass: cannot ingest frames', error);
        entry.setProblem({ kind: 'failed', message: messages.loadFailed(describeError(error)) });
      }
    });
  }
}
