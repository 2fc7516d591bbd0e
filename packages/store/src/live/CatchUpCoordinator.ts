/** Ask `channel` to replay every frame of `runId` after `afterSeq`. */
export interface ReplayOrder<C> {
  channel: C;
  runId: string;
  afterSeq: number;
}

/** Why a replay is wanted: frames are missing, or a kernel (re)announced the run when its comm attached. */
export type ReplayReason = 'gap' | 'announced';

/** A store read for a panel that just mounted (preferred), or a poll of a run no kernel delivers. */
export type StoreReadKind = 'first' | 'poll';

export interface CatchUpCoordinatorOptions {
  /** A replay not answered within this time may be asked for again (default 5 s). */
  replayRetryMs?: number;
  /**
   * How long a whole-history replay waits for a panel's store read to make it unnecessary (default 5 s: a reloaded
   * page may hear the kernel seconds before it renders the output; without a panel the replay only fills the cache).
   */
  parkMs?: number;
  now?: () => number;
}

/** What the coordinator needs to know about the frames a run already has. */
export interface SequenceView {
  lastSeq(runId: string): number;
  /** The seq to replay after while frames are missing, else null. */
  gapAfter(runId: string): number | null;
}

interface Wanted<C> {
  channel: C;
  since: number;
  /** A kernel announced the run: frames it sent before its comm was heard may be lost, with no gap to show it. */
  announced: boolean;
}

interface RunCatchUp<C> {
  /** Channels whose kernel holds the run (it announced it or sent its frames). */
  carriers: Set<C>;
  storeRead: boolean;
  /** A store read was started once, so a whole-history replay no longer waits for one. */
  storeTried: boolean;
  replay: { channel: C; at: number } | null;
  /** A replay wanted while a store read runs, or a whole-history replay parked until one could. */
  wanted: Wanted<C> | null;
}

/**
 * Decides, per run, which catch-up source fetches missing history, so the history travels once. The store (HTTP) is
 * preferred: a panel's first read starts even if a replay is on its way (a busy kernel answers replays only when its
 * cell ends), and a replay of the whole history waits `parkMs` for such a read to make it unnecessary. While a store
 * read runs, live frames wait in the sequence tracker and replays are deferred; when it ends, a replay is ordered
 * only for what may still be missing. A failed read falls back to a replay. Pure bookkeeping: the caller does the
 * I/O, calls `releaseParked` when `parkedDueIn` says, and reports back.
 */
export class CatchUpCoordinator<C> {
  private readonly runs = new Map<string, RunCatchUp<C>>();
  private readonly replayRetryMs: number;
  private readonly parkMs: number;
  private readonly now: () => number;

  constructor(
    private readonly sequences: SequenceView,
    options: CatchUpCoordinatorOptions = {},
  ) {
    this.replayRetryMs = options.replayRetryMs ?? 5000;
    this.parkMs = options.parkMs ?? 5000;
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
      if (run.wanted?.channel === channel) run.wanted = null;
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
    if (run.wanted?.channel === channel) run.wanted = null;
  }

  /**
   * Starts a store read of the run's history, or returns false when it must not run: another read is in flight, or
   * (for a poll) a replay is. A replay parked for this read is deferred until it ends.
   */
  beginStoreRead(runId: string, kind: StoreReadKind): boolean {
    const run = this.state(runId);
    if (run.storeRead || (kind === 'poll' && this.replayInFlight(run))) return false;
    run.storeRead = true;
    run.storeTried = true;
    return true;
  }

  /** The store read ended (its frames already offered); returns the replay to send now, if any. */
  endStoreRead(runId: string, ok: boolean): ReplayOrder<C> | null {
    const run = this.state(runId);
    run.storeRead = false;
    const wanted = run.wanted;
    run.wanted = null;
    if (!ok) return this.order(runId, run, this.sequences.lastSeq(runId), wanted?.channel); // fall back to the comm
    return this.stillMissing(runId, run, wanted);
  }

  /**
   * A channel wants a replay of the run. Returns the order to send now, or null when it is deferred (a store read
   * runs, or it would replay the whole history and a panel's store read may still make that unnecessary) or a
   * replay already asked is still on its way (its answer holds everything after its seq).
   */
  requestReplay(runId: string, channel: C, afterSeq: number, reason: ReplayReason): ReplayOrder<C> | null {
    const run = this.state(runId);
    run.carriers.add(channel);
    const announced = reason === 'announced' || run.wanted?.announced === true;
    if (run.storeRead || (afterSeq < 0 && !run.storeTried)) {
      run.wanted = { channel, since: run.wanted?.since ?? this.now(), announced };
      return null;
    }
    // An announcement means a (re)attached comm: a replay asked on the old one may never be answered.
    if (reason === 'gap' && this.replayInFlight(run)) return null;
    return this.order(runId, run, afterSeq, channel);
  }

  /** After `parkMs`, sends what the parked whole-history replay of the run still needs (often nothing). */
  releaseParked(runId: string): ReplayOrder<C> | null {
    const run = this.runs.get(runId);
    if (!run?.wanted || run.storeRead || this.now() - run.wanted.since < this.parkMs) return null;
    const wanted = run.wanted;
    run.wanted = null;
    return this.stillMissing(runId, run, wanted);
  }

  /** Milliseconds until `releaseParked` may send the run's parked replay; null when nothing is parked. */
  parkedDueIn(runId: string): number | null {
    const run = this.runs.get(runId);
    if (!run?.wanted || run.storeRead) return null; // a read in flight settles it when it ends
    return Math.max(0, run.wanted.since + this.parkMs - this.now());
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

  /**
   * The replay still needed once the store had its turn: after the gap if frames are held; otherwise, for an
   * announcing kernel, after the last frame the page has, since frames written after the store read and sent
   * before the comm was heard reached neither (usually an empty answer, never the history again).
   */
  private stillMissing(runId: string, run: RunCatchUp<C>, wanted: Wanted<C> | null): ReplayOrder<C> | null {
    const gap = this.sequences.gapAfter(runId);
    if (gap !== null) return this.order(runId, run, gap, wanted?.channel);
    if (wanted?.announced) return this.order(runId, run, this.sequences.lastSeq(runId), wanted.channel);
    return null;
  }

  private order(runId: string, run: RunCatchUp<C>, afterSeq: number, preferred?: C): ReplayOrder<C> | null {
    const channel = preferred !== undefined && run.carriers.has(preferred) ? preferred : [...run.carriers][0];
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
      run = { carriers: new Set(), storeRead: false, storeTried: false, replay: null, wanted: null };
      this.runs.set(runId, run);
    }
    return run;
  }
}
