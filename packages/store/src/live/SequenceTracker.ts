/** A frame released in sequence order. */
export interface ReadyFrame<P = Uint8Array> {
  seq: number;
  payload: P;
}

export interface OfferResult<P = Uint8Array> {
  /** Frames that extend the contiguous prefix, in order; each seq is released exactly once. */
  ready: ReadyFrame<P>[];
  /** Set while frames are missing: ask for a replay of everything after this seq. Null when contiguous. */
  gapAfter: number | null;
}

export interface SequenceTrackerOptions {
  /** Out-of-order frames held per run; past this, newer frames are dropped (the replay resends them). */
  maxHeldPerRun?: number;
}

interface RunState<P> {
  last: number;
  held: Map<number, P>;
}

/**
 * Per-run contiguous watermark over framed-log sequence numbers. Live frames and replayed frames can overlap
 * and interleave after a reload or reconnect; the tracker drops what was already released and holds what came
 * early, so the database sees every seq exactly once and in order.
 */
export class SequenceTracker<P = Uint8Array> {
  private readonly runs = new Map<string, RunState<P>>();
  private readonly maxHeldPerRun: number;

  constructor(options: SequenceTrackerOptions = {}) {
    this.maxHeldPerRun = options.maxHeldPerRun ?? 10_000;
  }

  /** Offers one frame; returns what can be released now and whether a gap remains. */
  offer(runId: string, seq: number, payload: P): OfferResult<P> {
    const run = this.state(runId);
    const ready: ReadyFrame<P>[] = [];
    if (seq === run.last + 1) {
      ready.push({ seq, payload });
      run.last = seq;
      for (let next = run.held.get(run.last + 1); next !== undefined; next = run.held.get(run.last + 1)) {
        run.held.delete(run.last + 1);
        run.last += 1;
        ready.push({ seq: run.last, payload: next });
      }
    } else if (seq > run.last + 1 && !run.held.has(seq) && run.held.size < this.maxHeldPerRun) {
      run.held.set(seq, payload);
    }
    return { ready, gapAfter: run.held.size > 0 ? run.last : null };
  }

  /** Highest seq released for the run, -1 when none. */
  lastSeq(runId: string): number {
    return this.runs.get(runId)?.last ?? -1;
  }

  /** Frames held waiting for a gap to fill. */
  heldCount(runId: string): number {
    return this.runs.get(runId)?.held.size ?? 0;
  }

  /** Forgets a run, e.g. when its cached rows are dropped and it will be rebuilt from seq 0. */
  reset(runId: string): void {
    this.runs.delete(runId);
  }

  private state(runId: string): RunState<P> {
    let run = this.runs.get(runId);
    if (!run) {
      run = { last: -1, held: new Map() };
      this.runs.set(runId, run);
    }
    return run;
  }
}
