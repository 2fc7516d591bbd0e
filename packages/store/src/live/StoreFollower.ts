import type { StoredRunState } from '@spyglass/protocol';
import { describeError } from '../errors.js';
import { liveMessages } from './live-messages.js';
import { PollBackoff, type PollBackoffOptions } from './poll-backoff.js';
import type { RunHub } from './RunHub.js';
import { isRefusedRead, type StoreReader } from './store-reader.js';
import { readRunFromStore, readRunMetadata } from './store-sync.js';

const TERMINAL: ReadonlySet<StoredRunState> = new Set(['finished', 'failed', 'crashed']);
/**
 * How often run.json is re-read while a kernel delivers the run's frames live: the kernel rewrites it with the
 * summary at each heartbeat (5 s), and a `run_updated` message asks for a read at once.
 */
const METADATA_POLL_MS = 2500;

/** Polling rates (the defaults suit a page; tests shorten them). */
export interface StoreFollowOptions {
  poll?: PollBackoffOptions;
  /** How often run.json is re-read while a kernel delivers the run (default 2.5 s). */
  metadataPollMs?: number;
}

/**
 * Keeps one displayed run up to date from the store: reads it once when its first panel mounts (unless the page
 * already has it live), then, while run.json says 'running' and no kernel channel delivers the run (a plain
 * script, another kernel, a dead kernel), polls the history after the page's last seq, about once a second and
 * less often while nothing changes. Stops when the run ends or its last panel goes; a channel that drops the run
 * wakes it. Frames go through the hub's pipeline, so polling and the live stream never duplicate a row. While a
 * kernel delivers the run, only run.json is re-read (summary, tags, notes change during a run).
 */
export class StoreFollower {
  private readonly backoff: PollBackoff;
  private readonly metadataPollMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private reading = false;
  private loaded = false;
  private stopped = false;
  private disposed = false;

  constructor(
    private readonly hub: RunHub,
    private readonly client: StoreReader,
    readonly runId: string,
    readonly runDir: string,
    options: StoreFollowOptions = {},
  ) {
    this.backoff = new PollBackoff(options.poll);
    this.metadataPollMs = options.metadataPollMs ?? METADATA_POLL_MS;
    this.schedule(0);
  }

  /** Polls again soon: no live channel holds the run any more. */
  wake(): void {
    if (this.disposed || this.stopped) return;
    this.backoff.reset();
    this.schedule(0);
  }

  /** Re-reads run.json soon, even after the run ended: its kernel says the metadata changed. */
  refresh(): void {
    if (this.disposed) return;
    this.stopped = false;
    this.schedule(0);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.disposed || this.reading) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, delayMs);
  }

  private async tick(): Promise<void> {
    if (this.disposed) return;
    if (this.hub.isCarried(this.runId) && (this.loaded || this.hub.lastSeq(this.runId) >= 0)) {
      // The page has this run live: the channel delivers and catches up its frames; only run.json is read.
      if (!this.loaded) this.hub.markLoaded(this.runId);
      this.loaded = true;
      await this.followMetadata();
      return;
    }
    this.reading = true;
    let delay: number | null;
    try {
      const kind = this.loaded ? 'poll' : 'first';
      const result = await readRunFromStore(this.hub, this.client, this.runId, this.runDir, kind);
      if (!this.loaded) this.hub.markLoaded(this.runId);
      this.loaded = true;
      delay = this.afterRead(result.state, (result.frames ?? 0) > 0);
    } catch (error) {
      delay = this.afterFailure(error);
    } finally {
      this.reading = false;
    }
    if (delay !== null) this.schedule(delay);
  }

  private async followMetadata(): Promise<void> {
    this.reading = true;
    let delay: number | null = this.metadataPollMs;
    try {
      const state = await readRunMetadata(this.hub, this.client, this.runId, this.runDir);
      if (state !== null && TERMINAL.has(state)) delay = null;
    } catch (error) {
      console.warn('Spyglass: reading the run metadata from the store failed', error);
      if (isRefusedRead(error)) delay = null;
    } finally {
      this.reading = false;
    }
    if (delay === null) this.stopped = true;
    else this.schedule(delay);
  }

  /** The delay before the next read, or null to stop polling. */
  private afterRead(state: StoredRunState | null, changed: boolean): number | null {
    if (state !== null && TERMINAL.has(state)) {
      this.stopped = true;
      return null;
    }
    return this.backoff.next(changed);
  }

  private afterFailure(error: unknown): number | null {
    const hasData = this.hub.lastSeq(this.runId) >= 0;
    if (hasData || this.hub.isCarried(this.runId)) {
      // The live channel (or an earlier read) has the data; the store copy was only a fallback.
      console.warn('Spyglass: reading the run from the store failed', error);
    } else {
      console.error('Spyglass: cannot read the run from the store', error);
      this.hub
        .run(this.runId)
        .setProblem({ kind: 'failed', message: liveMessages.loadFailed(describeError(error)) });
    }
    // A request the server refuses (no such run, outside its root) will not succeed later; anything else may.
    if (isRefusedRead(error)) return null;
    return this.backoff.next(false);
  }
}
