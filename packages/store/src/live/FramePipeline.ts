import type { FrameChunk, Stream } from '@spyglass/protocol';
import { FrameAssembler } from './frame-assembler.js';
import type { FrameInput } from './ingest-plan.js';
import type { RunDatabase } from './RunDatabase.js';
import { SequenceTracker } from './SequenceTracker.js';

/** What the pipeline reports about a drain; the page turns these into panel updates. */
export interface FramePipelineEvents {
  /** Frames of a run were ingested (their rows are queryable); `arrivedAt` is when the newest one arrived. */
  ingested(runId: string, frames: number, arrivedAt: number, stream: Stream): void;
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
  runId: string;
  stream: Stream;
  frames: FrameInput[];
  arrivedAt: number;
}

const queueKey = (runId: string, stream: Stream) => `${stream}\u0000${runId}`;

/**
 * The DOM-free core of the page's run hub: comm chunks → FrameAssembler → SequenceTracker → RunDatabase.
 * Everything the tracker releases waits in a per-run queue; one drain at a time takes the whole queue and ingests
 * each run's frames with a single `ingestFrames` call (DuckDB-WASM costs ~9 ms per call however small the frame,
 * so a 14k-frame catch-up one call per frame took minutes). Frames that arrive during a drain join the next one,
 * so order is kept and a burst costs one call. Each stream of a run (history, system metrics) has its own
 * assembler and tracker, since both number their frames from 0.
 */
export class FramePipeline {
  private readonly trackers: Record<Stream, SequenceTracker>;
  private readonly assemblers: Record<Stream, FrameAssembler> = {
    history: new FrameAssembler(),
    system: new FrameAssembler(),
  };
  private readonly now: () => number;
  private queued = new Map<string, Pending>();
  private draining: Promise<void> | null = null;
  /** Batches the drain has taken from the queue, and finished ingesting; waiters want a batch number finished. */
  private batchesTaken = 0;
  private batchesDone = 0;
  private batchWaiters: { batch: number; resolve: () => void }[] = [];
  private readonly statsValue: FramePipelineStats = { framesIngested: 0, ingestCalls: 0 };

  constructor(
    private readonly database: () => Promise<RunDatabase>,
    private readonly events: FramePipelineEvents,
    options: FramePipelineOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    const trackerOptions = { maxHeldPerRun: options.maxHeldPerRun };
    this.trackers = {
      history: new SequenceTracker(trackerOptions),
      system: new SequenceTracker(trackerOptions),
    };
  }

  /** Adds one comm buffer (of the stream its chunk names); returns the seq to replay after when frames are missing. */
  offerChunk(chunk: FrameChunk, buffer: Uint8Array): number | null {
    const stream = chunk.stream ?? 'history';
    const frame = this.assemblers[stream].add(chunk, buffer);
    if (!frame) return null;
    return this.offerFrames(frame.runId, [frame], stream);
  }

  /** Offers whole frames of one run's stream (live, replayed or read from the store); returns the gap, as offerChunk. */
  offerFrames(runId: string, frames: Iterable<FrameInput>, stream: Stream = 'history'): number | null {
    const arrivedAt = this.now();
    const tracker = this.trackers[stream];
    let gapAfter: number | null = null;
    let released: FrameInput[] = [];
    for (const frame of frames) {
      const result = tracker.offer(runId, frame.seq, frame.payload);
      gapAfter = result.gapAfter;
      if (result.ready.length > 0) released = released.concat(result.ready);
    }
    if (released.length > 0) this.enqueue(runId, stream, released, arrivedAt);
    return gapAfter;
  }

  /** Highest seq released for a run's stream (ingested or queued), -1 when none. */
  lastSeq(runId: string, stream: Stream = 'history'): number {
    return this.trackers[stream].lastSeq(runId);
  }

  /** The seq to replay after while frames of a run's stream are missing (some are held), else null. */
  gapAfter(runId: string, stream: Stream = 'history'): number | null {
    const tracker = this.trackers[stream];
    return tracker.heldCount(runId) > 0 ? tracker.lastSeq(runId) : null;
  }

  /** Resolves once every frame released so far has been ingested (or reported as failed), and nothing drains. */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /**
   * Resolves once the frames released before the call are ingested (or reported as failed), without waiting for
   * frames released later: under a steady live stream the pipeline may never be idle.
   */
  ingestedSoFar(): Promise<void> {
    // Everything queued goes into the next batch the drain takes; a batch in flight holds what was taken before.
    const batch = this.queued.size > 0 ? this.batchesTaken + 1 : this.batchesTaken;
    if (batch <= this.batchesDone) return Promise.resolve();
    return new Promise((resolve) => this.batchWaiters.push({ batch, resolve }));
  }

  stats(): FramePipelineStats {
    return { ...this.statsValue };
  }

  private enqueue(runId: string, stream: Stream, frames: FrameInput[], arrivedAt: number): void {
    const key = queueKey(runId, stream);
    const pending = this.queued.get(key);
    if (pending) {
      for (const frame of frames) pending.frames.push(frame);
      pending.arrivedAt = arrivedAt;
    } else {
      this.queued.set(key, { runId, stream, frames, arrivedAt });
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
      this.batchesTaken += 1;
      try {
        await this.ingestBatch(batch);
      } finally {
        this.batchDone();
      }
    }
  }

  private async ingestBatch(batch: Map<string, Pending>): Promise<void> {
    let database: RunDatabase;
    try {
      database = await this.database();
    } catch (error) {
      for (const pending of batch.values()) this.events.failed(pending.runId, error);
      return;
    }
    for (const pending of batch.values()) await this.ingest(database, pending);
  }

  private batchDone(): void {
    this.batchesDone += 1;
    const due = this.batchWaiters.filter((w) => w.batch <= this.batchesDone);
    this.batchWaiters = this.batchWaiters.filter((w) => w.batch > this.batchesDone);
    for (const waiter of due) waiter.resolve();
  }

  private async ingest(database: RunDatabase, pending: Pending): Promise<void> {
    const { runId, stream } = pending;
    this.statsValue.ingestCalls += 1;
    let ingested = pending.frames.length;
    let failure: unknown = null;
    try {
      await ingestInto(database, stream, runId, pending.frames);
    } catch (error) {
      // One bad payload fails its whole transaction; retry frame by frame (ingested ones are skipped) so only the
      // bad frames are lost, not the good ones batched with them.
      failure = error;
      ingested = pending.frames.length > 1 ? await this.ingestOneByOne(database, pending) : 0;
    }
    if (ingested > 0) {
      this.statsValue.framesIngested += ingested;
      this.events.ingested(runId, ingested, pending.arrivedAt, stream);
    }
    // Reported after the good frames, so the failure stays visible rather than being cleared by their arrival.
    if (failure !== null) this.events.failed(runId, failure);
  }

  /** Returns how many frames went in. */
  private async ingestOneByOne(database: RunDatabase, { runId, stream, frames }: Pending): Promise<number> {
    let ingested = 0;
    for (const frame of frames) {
      this.statsValue.ingestCalls += 1;
      try {
        await ingestInto(database, stream, runId, [frame]);
        ingested += 1;
      } catch {
        // the batch's error was already captured; this frame stays lost, as a bad payload must
      }
    }
    return ingested;
  }
}

function ingestInto(
  database: RunDatabase,
  stream: Stream,
  runId: string,
  frames: FrameInput[],
): Promise<number> {
  return stream === 'system'
    ? database.ingestSystemFrames(runId, frames)
    : database.ingestFrames(runId, frames);
}
