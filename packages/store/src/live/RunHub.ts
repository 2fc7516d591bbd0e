import type { FrameChunk, RunInfo, RunMetadata, Stream } from '@spyglass/protocol';
import type { SqlEngine } from '../engine.js';
import { DamagedFrameError, describeError } from '../errors.js';
import {
  CatchUpCoordinator,
  type ReplayOrder,
  type ReplayReason,
  type StoreReadKind,
} from './CatchUpCoordinator.js';
import { FramePipeline } from './FramePipeline.js';
import {
  DECODE_ON_THIS_THREAD,
  type FrameDecoder,
  type HubStats,
  type ReplayChannel,
  type RunHubOptions,
} from './hub-edges.js';
import type { FrameInput } from './ingest-plan.js';
import { liveMessages } from './live-messages.js';
import { RunDatabase } from './RunDatabase.js';
import { RunEntry } from './RunEntry.js';
import { type ILiveSignal, LiveSignal } from './signal.js';

export type { FrameDecoder, HubStats, ReplayChannel, RunHubOptions } from './hub-edges.js';

const STREAMS: readonly Stream[] = ['history', 'system'];

/**
 * The page-wide cache of every run this page has seen: one DuckDB-WASM database, one frame pipeline (assembler,
 * sequence tracker, batched ingest) and a RunEntry (with its change signal) per run. Frames from live comms,
 * replays and the store all pass through the pipeline, so each frame is ingested exactly once and in order; the
 * catch-up coordinators (one per stream: history and system metrics number their frames apart) keep the store and
 * comm replays from fetching the same frames twice.
 */
export class RunHub {
  private readonly runs = new Map<string, RunEntry>();
  private readonly pipeline: FramePipeline;
  private readonly catchUp: Record<Stream, CatchUpCoordinator<ReplayChannel>>;
  private readonly orphanedSignal = new LiveSignal<RunHub, string>(this);
  private readonly metadataStaleSignal = new LiveSignal<RunHub, string>(this);
  private readonly historyIngestedSignal = new LiveSignal<RunHub, string>(this);
  /** Runs (keyed by stream and run id) with a timer pending to release a parked replay. */
  private readonly parkTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private databasePromise: Promise<RunDatabase> | null = null;
  private readonly decoder: FrameDecoder;
  private readonly startEngine: () => Promise<SqlEngine>;
  private tableEnginePromise: Promise<SqlEngine> | null = null;
  private engine: SqlEngine | null = null;
  private engineStartMs: number | null = null;
  private lastIngestMs: number | null = null;
  private lastFrameArrivedAt: number | null = null;
  private disposed = false;

  constructor(options: RunHubOptions) {
    this.startEngine = options.startEngine;
    this.decoder = options.decoder ?? DECODE_ON_THIS_THREAD;
    this.pipeline = new FramePipeline(() => this.database(), {
      ingested: (runId, _frames, arrivedAt, stream) => {
        this.lastIngestMs = performance.now() - arrivedAt;
        this.run(runId).markIngested(stream);
        if (stream === 'history') this.historyIngestedSignal.emit(runId);
      },
      failed: (runId, error) => {
        console.error(`Spyglass: cannot ingest frames of run ${runId}`, error);
        if (error instanceof DamagedFrameError)
          this.run(runId).setDamaged(liveMessages.damagedRun(error.message));
        else
          this.run(runId).setProblem({
            kind: 'failed',
            message: liveMessages.loadFailed(describeError(error)),
          });
      },
    });
    const coordinator = (stream: Stream) =>
      new CatchUpCoordinator<ReplayChannel>(
        {
          lastSeq: (runId) => this.pipeline.lastSeq(runId, stream),
          gapAfter: (runId) => this.pipeline.gapAfter(runId, stream),
        },
        options.catchUp,
      );
    this.catchUp = { history: coordinator('history'), system: coordinator('system') };
  }

  /** Emits a run id when a kernel says the run's metadata changed (its followers re-read run.json). */
  get metadataStale(): ILiveSignal<RunHub, string> {
    return this.metadataStaleSignal;
  }

  /** Emits a run id after new history rows of that run became queryable (the workspace's live tail reads them). */
  get historyIngested(): ILiveSignal<RunHub, string> {
    return this.historyIngestedSignal;
  }

  /** Emits a run id when no live kernel channel holds that run any more (its store followers may poll). */
  get orphaned(): ILiveSignal<RunHub, string> {
    return this.orphanedSignal;
  }

  /** The shared database, started on first use. */
  database(): Promise<RunDatabase> {
    if (!this.databasePromise) {
      const started = performance.now();
      this.decoder.warmUp(); // loads beside DuckDB instead of in front of the first frames
      this.databasePromise = this.startEngine().then(async (engine) => {
        this.engine = engine;
        // In the page frames decode in a worker under a time budget: a hostile payload costs its run, never the tab.
        const database = new RunDatabase(engine, this.decoder.plan);
        await database.init();
        this.engineStartMs = performance.now() - started;
        return database;
      });
      this.databasePromise.catch((error) => {
        const message = liveMessages.engineFailed(describeError(error));
        for (const entry of this.runs.values()) entry.setProblem({ kind: 'failed', message });
      });
    }
    return this.databasePromise;
  }

  /**
   * A connection to the page's DuckDB-WASM database for table explorers: their own, so they never run inside an
   * ingest transaction (rows appended there carry provisional row ids until it commits).
   */
  tableEngine(): Promise<SqlEngine> {
    if (!this.tableEnginePromise) this.tableEnginePromise = this.connect();
    return this.tableEnginePromise;
  }

  /**
   * A new connection to the page's database: a workspace takes one (its own search path and transactions), so one
   * DuckDB engine serves the whole page.
   */
  async connect(): Promise<SqlEngine> {
    await this.database();
    if (!this.engine?.connect) throw new Error('Spyglass: the DuckDB-WASM engine was closed');
    return this.engine.connect();
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

  /** Applies a kernel's RunInfo, whose missing `degraded` means the run's rows reach the store. */
  updateKernelRun(info: RunInfo): void {
    const entry = this.run(info.run_id);
    entry.update(info);
    entry.setDegraded(info.degraded ?? null);
  }

  /** Applies a run.json read from the store (config, summary, tags, notes, define_metric entries...). */
  updateMetadata(meta: RunMetadata): void {
    this.run(meta.run_id).updateMetadata(meta);
  }

  /** A kernel says the run changed (state, name, config): its store followers should re-read run.json soon. */
  markMetadataStale(runId: string): void {
    this.metadataStaleSignal.emit(runId);
  }

  /** Highest sequence number ingested (or queued) for a run's stream, -1 when none. */
  lastSeq(runId: string, stream: Stream = 'history'): number {
    return this.pipeline.lastSeq(runId, stream);
  }

  /** A kernel holds the run (hello or run_updated from its channel). */
  carry(runId: string, channel: ReplayChannel): void {
    for (const stream of STREAMS) this.catchUp[stream].carry(runId, channel);
  }

  /** Whether a live kernel channel holds the run. */
  isCarried(runId: string): boolean {
    return this.catchUp.history.isCarried(runId);
  }

  /** A kernel delivers the run's history to this page and no frame of it is missing so far (none held back). */
  deliversLive(runId: string): boolean {
    return this.isCarried(runId) && this.lastSeq(runId) >= 0 && this.pipeline.gapAfter(runId) === null;
  }

  /** A channel asks to catch a run's stream up (its kernel announced the run, or frames were lost on the way). */
  requestReplay(
    runId: string,
    channel: ReplayChannel,
    reason: ReplayReason,
    stream: Stream = 'history',
  ): void {
    this.orderReplay(runId, channel, this.lastSeq(runId, stream), reason, stream);
  }

  /** Adds one comm buffer from a channel; asks that channel for a replay when frames are missing. */
  offerChunk(chunk: FrameChunk, buffer: Uint8Array, channel: ReplayChannel): void {
    this.carry(chunk.run_id, channel);
    this.noteArrival();
    const gapAfter = this.pipeline.offerChunk(chunk, buffer);
    if (gapAfter !== null)
      this.orderReplay(chunk.run_id, channel, gapAfter, 'gap', chunk.stream ?? 'history');
  }

  /** A replay answer for the run's stream arrived; its catch-up is over unless frames are still missing. */
  replayAnswered(runId: string, stream: Stream = 'history'): void {
    // With a gap left, more messages of the same answer may follow; the replay stays in flight until it expires.
    if (this.pipeline.gapAfter(runId, stream) === null) this.catchUp[stream].replayAnswered(runId);
  }

  /** The channel's kernel answered that it does not hold the run. */
  replayRefused(runId: string, channel: ReplayChannel): void {
    for (const stream of STREAMS) this.catchUp[stream].dropCarrier(runId, channel);
    if (!this.isCarried(runId)) this.orphanedSignal.emit(runId);
  }

  /** A channel's comm is gone (kernel restart or death, page teardown). */
  dropChannel(channel: ReplayChannel): void {
    this.catchUp.system.dropChannel(channel);
    // Both coordinators hear of the same carriers, so the history one names every orphaned run.
    for (const runId of this.catchUp.history.dropChannel(channel)) this.orphanedSignal.emit(runId);
  }

  /** Starts a store read of a run's stream; false when it must not run now (see CatchUpCoordinator). */
  beginStoreRead(runId: string, kind: StoreReadKind, stream: Stream = 'history'): boolean {
    return this.catchUp[stream].beginStoreRead(runId, kind);
  }

  /** Offers frames of a stream read from the store (the read began with beginStoreRead). */
  offerStoredFrames(runId: string, frames: Iterable<FrameInput>, stream: Stream = 'history'): void {
    this.noteArrival();
    this.pipeline.offerFrames(runId, frames, stream);
  }

  /** Ends a store read; a replay follows for frames still missing, or for all of them when the read failed. */
  endStoreRead(runId: string, ok: boolean, stream: Stream = 'history'): void {
    this.send(this.catchUp[stream].endStoreRead(runId, ok), stream);
  }

  /** Resolves once every frame offered so far is ingested (or failed). */
  settled(): Promise<void> {
    return this.pipeline.ingestedSoFar();
  }

  /** Marks a run as known to have no more data to wait for, once what is queued is ingested. */
  markLoaded(runId: string): void {
    void this.settled().then(() => this.run(runId).markLoaded());
  }

  /** Refuses every run still waiting for data, with a message its panels show. */
  refuseWaitingRuns(message: string): void {
    for (const entry of this.runs.values()) {
      if (entry.status().kind === 'loading') entry.setProblem({ kind: 'refused', message });
    }
  }

  stats(): HubStats {
    const { framesIngested, ingestCalls } = this.pipeline.stats();
    return {
      engineStartMs: this.engineStartMs,
      framesIngested,
      ingestCalls,
      lastIngestMs: this.lastIngestMs,
      lastFrameArrivedAt: this.lastFrameArrivedAt,
      decodeWorkers: this.decoder.started,
    };
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.decoder.dispose();
    for (const entry of this.runs.values()) entry.dispose();
    this.runs.clear();
    for (const timer of this.parkTimers.values()) clearTimeout(timer);
    this.parkTimers.clear();
    this.orphanedSignal.disconnectAll();
    this.metadataStaleSignal.disconnectAll();
    this.historyIngestedSignal.disconnectAll();
    this.engine?.close().catch((error) => console.warn('Spyglass: closing DuckDB-WASM failed', error));
    this.engine = null;
  }

  private noteArrival(): void {
    this.lastFrameArrivedAt = performance.now();
  }

  /** Sends the replay now, or, when the coordinator parks it, checks back once the parking time is over. */
  private orderReplay(
    runId: string,
    channel: ReplayChannel,
    afterSeq: number,
    reason: ReplayReason,
    stream: Stream,
  ): void {
    const order = this.catchUp[stream].requestReplay(runId, channel, afterSeq, reason);
    if (order) this.send(order, stream);
    else this.checkParkedLater(runId, stream);
  }

  private checkParkedLater(runId: string, stream: Stream): void {
    const key = `${stream}\u0000${runId}`;
    const due = this.catchUp[stream].parkedDueIn(runId);
    if (due === null || this.parkTimers.has(key) || this.disposed) return;
    const timer = setTimeout(() => {
      this.parkTimers.delete(key);
      this.send(this.catchUp[stream].releaseParked(runId), stream);
      this.checkParkedLater(runId, stream);
    }, due);
    this.parkTimers.set(key, timer);
  }

  private send(order: ReplayOrder<ReplayChannel> | null, stream: Stream): void {
    order?.channel.sendReplay(order.runId, order.afterSeq, stream);
  }
}
