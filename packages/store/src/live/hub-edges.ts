import type { Stream } from '@spyglass/protocol';
import type { SqlEngine } from '../engine.js';
import type { CatchUpCoordinatorOptions } from './CatchUpCoordinator.js';
import { type IngestPlanner, planOnThisThread } from './ingest-plan.js';

// The run hub's edges: what the page (or a test) plugs into the live core, and what it reports.

/**
 * What the hub needs of a kernel channel (the page's adapter is the comm of one kernel connection): sending a
 * replay request of one stream of a run. The channel feeds the hub through offerChunk, carry, replayAnswered,
 * replayRefused and dropChannel.
 */
export interface ReplayChannel {
  sendReplay(runId: string, afterSeq: number, stream: Stream): void;
}

/** What decodes frames for RunDatabase (the page's is a Web Worker under a time budget). */
export interface FrameDecoder {
  readonly plan: IngestPlanner;
  /** Starts loading ahead of the first frames. */
  warmUp(): void;
  /** Decode workers started so far (0 while frames decode on the calling thread). */
  readonly started: number;
  dispose(): void;
}

/** Decodes on the calling thread, still checking every payload (Node tests and benches). */
export const DECODE_ON_THIS_THREAD: FrameDecoder = {
  plan: planOnThisThread,
  warmUp: () => {},
  started: 0,
  dispose: () => {},
};

export interface RunHubOptions {
  /** Starts the page's DuckDB engine, on the first use of the database. */
  startEngine: () => Promise<SqlEngine>;
  decoder?: FrameDecoder;
  /** Replay timing (tests shorten the 5 s a whole-history replay waits for a store read). */
  catchUp?: CatchUpCoordinatorOptions;
}

/** Timings the debug command reports (milliseconds, from performance.now()). */
export interface HubStats {
  engineStartMs: number | null;
  framesIngested: number;
  /** RunDatabase.ingestFrames calls; far fewer than frames when frames arrive in bursts. */
  ingestCalls: number;
  /** Time from a frame's arrival to its rows being queryable, for the latest drain. */
  lastIngestMs: number | null;
  lastFrameArrivedAt: number | null;
  /** Frame decode workers started (0 while frames decode on the page's thread, e.g. no worker could start). */
  decodeWorkers: number;
}
