import type { RunHub } from './RunHub.js';
import { StoreFollower, type StoreFollowOptions } from './StoreFollower.js';
import type { StoreReader } from './store-reader.js';

/** Keeps a run followed until disposed. */
export interface FollowHandle {
  dispose(): void;
}

interface Followed {
  follower: StoreFollower;
  panels: number;
}

/** One StoreFollower per displayed run, shared by its panels and disposed with the last of them. */
export class StoreFollowers<Reader extends StoreReader = StoreReader> {
  private readonly followed = new Map<string, Followed>();
  private disposed = false;

  constructor(
    private readonly hub: RunHub,
    /** The server client the followers read with (run panels read their logged charts through it too). */
    readonly client: Reader,
    private readonly options: StoreFollowOptions = {},
  ) {
    hub.orphaned.connect(this.onOrphaned, this);
    hub.metadataStale.connect(this.onMetadataStale, this);
  }

  /** Follows a run while the returned handle lives (dispose it with the panel). */
  follow(runId: string, runDir: string): FollowHandle {
    let entry = this.followed.get(runId);
    if (!entry || entry.follower.runDir !== runDir) {
      entry?.follower.dispose();
      entry = { follower: new StoreFollower(this.hub, this.client, runId, runDir, this.options), panels: 0 };
      this.followed.set(runId, entry);
    }
    const current = entry;
    current.panels += 1;
    let released = false;
    return {
      dispose: () => {
        if (released) return;
        released = true;
        current.panels -= 1;
        if (current.panels === 0 && this.followed.get(runId) === current) {
          current.follower.dispose();
          this.followed.delete(runId);
        }
      },
    };
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.hub.orphaned.disconnect(this.onOrphaned, this);
    this.hub.metadataStale.disconnect(this.onMetadataStale, this);
    for (const { follower } of this.followed.values()) follower.dispose();
    this.followed.clear();
  }

  private onOrphaned(_hub: RunHub, runId: string): void {
    this.followed.get(runId)?.follower.wake();
  }

  private onMetadataStale(_hub: RunHub, runId: string): void {
    this.followed.get(runId)?.follower.refresh();
  }
}
