/** Ask `channel` to replay every frame of `runId` after `afterSeq`. */
export interface ReplayOrder<C> {
  channel: C;
  runId: string;
  afterSeq: number;
}

/** Why a replay is wanted: frames are missing, or a kernel (re)announced the run when its comm attached. */
export type ReplayReason = 'gap' | 'announced';

export interface CatchUpCoordinatorOptions {
  /** A replay not answered within this time may be asked for again (default 5 s). */
  replayRetryMs?: number;
  now?: () => number;
}

/** What the coordinator needs to know about the frames a run already has. */
export interface SequenceView {
  lastSeq(runId: string): number;
  /** The seq to replay after while frames are missing, else null. */
  gapAfter(runId: string): number | null;
}

interface RunCatchUp<C> {
  /** Channels whose kernel holds the run (it announced it or sent its frames). */
  carriers: Set<C>;
  storeRead: boolean;
  replay: { channel: C; at: number } | null;
  /** A kernel announced the run while a store read was in flight: frames it sent before it was heard may be lost. */
  announcedDuringRead: boolean;
}

/**
 * Decides, per run, which catch-up source fetches missing history, so the history travels once: at most one of a
 * store read (HTTP) or a comm replay is in flight per run. While a store read runs, live frames wait in the
 * sequence tracker and replays are deferred; when it ends, a replay is ordered only for what may still be missing.
 * A failed store read falls back to a replay. Pure bookkeeping: the caller does the I/O and reports back.
 */
export class CatchUpCoordinator<C> {
  private readonly runs = new Map<string, RunCatchUp<C>>();
  private readonly replayRetryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly sequences: SequenceView,
    options: CatchUpCoordinatorOptions = {},
  ) {
    this.replayRetryMs = options.replayRetryMs ?? 5000;
    this.now = options.now ?? (() => performance.now());
  }

  /** A channel's kernel holds the run: it announced it, updated it or sent its frames. */
  carry(runId: string, channel: C): void {
    this.state(runId).carriers.add(channel);
  }

  /** Whether some live channel holds the run (then the store need not be polled). */
  isCarried(runId: string): boolean {
    return (this.runs.get(runId)?.carriers.size ?? 0) > 0;
  }

  /** A channel closed (kernel restart, death, disposal); returns the runs no channel holds any more. */
  dropChannel(channel: C): string[] {
    const orphaned: string[] = [];
    for (const [runId, run] of this.runs) {
      if (run.replay?.channel === channel) run.replay = null;
      if (run.carriers.delete(channel) && run.carriers.size === 0) orphaned.push(runId);
    }
    return orphaned;
  }

  /** The channel's kernel does not know the run after all (it answered a replay with an error). */
  dropCarrier(runId: string, channel: C): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.carriers.delete(channel);
    if (run.replay?.channel === channel) run.replay = null;
  }

  /** Starts a store read of the run's history unless another catch-up is in flight; false means do not read. */
  beginStoreRead(runId: string): boolean {
    const run = this.state(runId);
    if (run.storeRead || this.replayInFlight(run)) return false;
    run.storeRead = true;
    run.announcedDuringRead = false;
    return true;
  }

  /** The store read ended (its frames already offered); returns the replay to send now, if any. */
  endStoreRead(runId: string, ok: boolean): ReplayOrder<C> | null {
    const run = this.state(runId);
    run.storeRead = false;
    const announced = run.announcedDuringRead;
    run.announcedDuringRead = false;
    if (!ok) return this.order(runId, run, this.sequences.lastSeq(runId)); // fall back to the comm
    const gap = this.sequences.gapAfter(runId);
    if (gap !== null) return this.order(runId, run, gap);
    // The kernel's comm attached while the store was being read: frames written after the read and sent before
    // the comm was heard reached neither. Only those are asked for, so the history does not travel again.
    if (announced) return this.order(runId, run, this.sequences.lastSeq(runId));
    return null;
  }

  /**
   * A channel wants a replay of the run. Returns the order to send now, or null when a store read will cover it
   * (deferred) or a replay already asked is still on its way (its answer holds everything after its seq).
   */
  requestReplay(runId: string, channel: C, afterSeq: number, reason: ReplayReason): ReplayOrder<C> | null {
    const run = this.state(runId);
    run.carriers.add(channel);
    if (run.storeRead) {
      if (reason === 'announced') run.announcedDuringRead = true;
      return null;
    }
    // An announcement means a (re)attached comm: a replay asked on the old one may never be answered.
    if (reason === 'gap' && this.replayInFlight(run)) return null;
    run.replay = { channel, at: this.now() };
    return { channel, runId, afterSeq };
  }

  /** A replay answer arrived and left no gap: the run has no catch-up in flight any more. */
  replayAnswered(runId: string): void {
    const run = this.runs.get(runId);
    if (run) run.replay = null;
  }

  /** Whether a store read or an unexpired replay is in flight for the run. */
  isCatchingUp(runId: string): boolean {
    const run = this.runs.get(runId);
    return run !== undefined && (run.storeRead || this.replayInFlight(run));
  }

  private order(runId: string, run: RunCatchUp<C>, afterSeq: number): ReplayOrder<C> | null {
    const [channel] = run.carriers;
    if (channel === undefined) return null;
    run.replay = { channel, at: this.now() };
    return { channel, runId, afterSeq };
  }

  private replayInFlight(run: RunCatchUp<C>): boolean {
    return run.replay !== null && this.now() - run.replay.at < this.replayRetryMs;
  }

  private state(runId: string): RunCatchUp<C> {
    let run = this.runs.get(runId);
    if (!run) {
      run = { carriers: new Set(), storeRead: false, replay: null, announcedDuringRead: false };
      this.runs.set(runId, run);
    }
    return run;
  }
}
