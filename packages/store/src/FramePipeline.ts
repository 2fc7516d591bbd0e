import type { FrameChunk } from '@spyglass/protocol';
import { FrameAssembler } from './frame-assembler.js';
import type { FrameInput } from './ingest-plan.js';
import type { RunDatabase } from './RunDatabase.js';
import { SequenceTracker } from './SequenceTracker.js';

/** What the pipeline reports about a drain; the page turns these into panel updates. */
export interface FramePipelineEvents {
  /** Frames of a run were ingested (their rows are queryable); `arrivedAt` is when the newest one arrived. */
  ingested(runId: string, frames: number, arrivedAt: number): void;
  /** Some frames of a run could not be ingested; the others of the same drain still were. */
  failed(runId: string, error: unknown): void;
}

export interface FramePipelineOptions {
  /** Clock for arrival times (default performance.now). */
  now?: () => number;
  /** Out-of-order frames held per run (see SequenceTracker). */
  maxHeldPerRun?: number;
}

export interface FramePipelineStats {
  framesIngested: number;
  /** RunDatabase.ingestFrames calls: one per run per drain. */
  ingestCalls: number;
}

interface Pending {
  frames: FrameInput[];
  arrivedAt: number;
}

/**
 * The DOM-free core of the page's run hub: comm chunks → FrameAssembler → SequenceTracker → RunDatabase.
 * Everything the tracker releases waits in a per-run queue; one drain at a time takes the whole queue and ingests
 * each run's frames with a single `ingestFrames` call (DuckDB-WASM costs ~9 ms per call however small the frame,
 * so a 14k-frame catch-up one call per frame took minutes). Frames that arrive during a drain join the next one,
 * so order is kept and a burst costs one call.
 */
export class FramePipeline {
  private readonly tracker: SequenceTracker;
  private readonly assembler = new FrameAssembler();
  private readonly now: () => number;
  private queued = new Map<string, Pending>();
  private draining: Promise<void> | null = null;
  private readonly statsValue: FramePipelineStats = { framesIngested: 0, ingestCalls: 0 };

  constructor(
    private readonly database: () => Promise<RunDatabase>,
    private readonly events: FramePipelineEvents,
    options: FramePipelineOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.tracker = new SequenceTracker({ maxHeldPerRun: options.maxHeldPerRun });
  }

  /** Adds one comm buffer; returns the seq to replay after when frames are missing, else null. */
  offerChunk(chunk: FrameChunk, buffer: Uint8Array): number | null {
    const frame = this.assembler.add(chunk, buffer);
    if (!frame) return null;
    return this.offerFrames(frame.runId, [frame]);
  }

  /** Offers whole frames of one run (live, replayed or read from the store); returns the gap, as offerChunk. */
  offerFrames(runId: string, frames: Iterable<FrameInput>): number | null {
    const arrivedAt = this.now();
    let gapAfter: number | null = null;
    let released: FrameInput[] = [];
    for (const frame of frames) {
      const result = this.tracker.offer(runId, frame.seq, frame.payload);
      gapAfter = result.gapAfter;
      if (result.ready.length > 0) released = released.concat(result.ready);
    }
    if (released.length > 0) this.enqueue(runId, released, arrivedAt);
    return gapAfter;
  }

  /** Highest seq released for a run (ingested or queued), -1 when none. */
  lastSeq(runId: string): number {
    return this.tracker.lastSeq(runId);
  }

  /** The seq to replay after while frames of a run are missing (some are held), else null. */
  gapAfter(runId: string): number | null {
    return this.tracker.heldCount(runId) > 0 ? this.tracker.lastSeq(runId) : null;
  }

  /** Resolves once every frame released so far has been ingested (or reported as failed). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  stats(): FramePipelineStats {
    return { ...this.statsValue };
  }

  private enqueue(runId: string, frames: FrameInput[], arrivedAt: number): void {
    const pending = this.queued.get(runId);
    if (pending) {
      for (const frame of frames) pending.frames.push(frame);
      pending.arrivedAt = arrivedAt;
    } else {
      this.queued.set(runId, { frames, arrivedAt });
    }
    this.drainSoon();
  }

  private drainSoon(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      // Frames queued after the loop's last check but before this callback would otherwise wait for the next offer.
      if (this.queued.size > 0) this.drainSoon();
    });
  }

  private async drain(): Promise<void> {
    // Yield once so frames offered in the same turn (all chunks of one comm message) share the first drain.
    await Promise.resolve();
    while (this.queued.size > 0) {
      const batch = this.queued;
      this.queued = new Map();
      let database: RunDatabase;
      try {
        database = await this.database();
      } catch (error) {
        for (const runId of batch.keys()) this.events.failed(runId, error);
        continue;
      }
      for (const [runId, pending] of batch) await this.ingest(database, runId, pending);
    }
  }

  private async ingest(database: RunDatabase, runId: string, pending: Pending): Promise<void> {
    this.statsValue.ingestCalls += 1;
    let ingested = pending.frames.length;
    let failure: unknown = null;
    try {
      await database.ingestFrames(runId, pending.frames);
    } catch (error) {
      // One bad payload fails its whole transaction; retry frame by frame (ingested ones are skipped) so only the
      // bad frames are lost, not the good ones batched with them.
      failure = error;
      ingested = pending.frames.length > 1 ? await this.ingestOneByOne(database, runId, pending.frames) : 0;
    }
    if (ingested > 0) {
      this.statsValue.framesIngested += ingested;
      this.events.ingested(runId, ingested, pending.arrivedAt);
    }
    // Reported after the good frames, so the failure stays visible rather than being cleared by their arrival.
    if (failure !== null) this.events.failed(runId, failure);
  }

  /** Returns how many frames went in. */
  private async ingestOneByOne(database: RunDatabase, runId: string, frames: FrameInput[]): Promise<number> {
    let ingested = 0;
    for (const frame of frames) {
      this.statsValue.ingestCalls += 1;
      try {
        await database.ingestFrame(runId, frame.seq, frame.payload);
        ingested += 1;
      } catch {
        // the batch's error was already captured; this frame stays lost, as a bad payload must
      }
    }
    return ingested;
  }
}
