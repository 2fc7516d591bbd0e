/**
 * Runs an async task at most once per `intervalMs`, never two at once, and always once more after the last
 * request: bursts of change signals collapse into a bounded redraw rate while the newest data still shows.
 */
export class Throttle {
  private running = false;
  private requested = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastStart = Number.NEGATIVE_INFINITY;
  private disposed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** Asks for a run; coalesces with any pending one. */
  request(): void {
    if (this.disposed) return;
    this.requested = true;
    this.schedule();
  }

  /** A run is in progress or asked for. */
  get busy(): boolean {
    return !this.disposed && (this.running || this.requested);
  }

  /** Resolves once no run is in progress or asked for (at once when idle, or after dispose). */
  whenIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops future runs; a run in progress finishes. */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.releaseIdleWaiters();
  }

  private releaseIdleWaiters(): void {
    if (this.busy) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private schedule(): void {
    if (this.running || this.timer !== null || !this.requested || this.disposed) return;
    const wait = Math.max(0, this.lastStart + this.intervalMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, wait);
  }

  private async run(): Promise<void> {
    if (this.disposed) return;
    this.requested = false;
    this.running = true;
    this.lastStart = performance.now();
    try {
      await this.task();
    } catch (error) {
      // The task owns its error display; this only keeps a failure from stopping later runs.
      console.error('Spyglass:', error);
    } finally {
      this.running = false;
      this.schedule();
      this.releaseIdleWaiters();
    }
  }
}
