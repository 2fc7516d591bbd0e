export interface PollBackoffOptions {
  /** Delay while polls keep finding new data (default 1 s). */
  minMs?: number;
  /** Longest delay once nothing changes (default 10 s). */
  maxMs?: number;
  /** Growth of the delay per unchanged poll (default 2). */
  factor?: number;
}

/**
 * Delays between store polls of a run no live channel carries: about once a second while it logs, growing to
 * `maxMs` while nothing changes, so an idle or abandoned run costs a request every few seconds, not every second.
 */
export class PollBackoff {
  private readonly minMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private delay: number;

  constructor(options: PollBackoffOptions = {}) {
    this.minMs = options.minMs ?? 1000;
    this.maxMs = options.maxMs ?? 10_000;
    this.factor = options.factor ?? 2;
    this.delay = this.minMs;
  }

  /** The delay before the next poll, given whether the last one found anything new. */
  next(changed: boolean): number {
    this.delay = changed ? this.minMs : Math.min(this.maxMs, this.delay * this.factor);
    return this.delay;
  }

  /** Back to polling at the fastest rate (e.g. after a live channel dropped the run). */
  reset(): void {
    this.delay = this.minMs;
  }
}
