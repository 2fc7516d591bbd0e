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

  /** Stops future runs; a run in progress finishes. */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
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
    }
  }
}
