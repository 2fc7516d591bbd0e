import { isMediaPath } from '@spyglass/store';

/** Fetches one media file of the table's run (a run-relative path under media/) with the server's auth. */
export interface MediaLoader {
  fetch(path: string): Promise<Blob>;
}

/**
 * An element showing a blob URL (a thumbnail, a hover image, a player). While it is on the page, or still
 * loading the URL (`complete === false`), revoking the URL would make the browser fail the load
 * (ERR_FILE_NOT_FOUND), so the cache keeps it.
 */
export interface BlobHolder {
  readonly isConnected: boolean;
  readonly complete?: boolean;
  /** What it shows now: an element reused for another file (the hover image) no longer holds this one. */
  readonly src?: string;
  addEventListener(type: 'load' | 'error', listener: () => void, options?: { once?: boolean }): void;
}

interface Entry {
  url: Promise<string>;
  /** The URL once created. */
  created?: string;
  holders: Set<BlobHolder>;
}

function loading(holder: BlobHolder): boolean {
  return holder.complete === false;
}

/** Loading something, or on the page showing this entry's URL (or waiting for it: not created, or not set yet). */
function holds(holder: BlobHolder, entry: Entry): boolean {
  if (loading(holder)) return true;
  const waiting = !holder.src || entry.created === undefined;
  return holder.isConnected && (waiting || holder.src === entry.created);
}

/**
 * Blob URLs of fetched media files, shared by the thumbnails and previews of one explorer. Past `capacity`, the
 * least recently used URLs that no element still shows are revoked (so scrolling through many images does not
 * leak, and no visible or loading image loses its URL); all of them on dispose, each once its loads finish.
 */
export class BlobUrlCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly loader: MediaLoader | null,
    private readonly capacity = 300,
  ) {}

  get available(): boolean {
    return this.loader !== null;
  }

  /** Number of URLs held (tests check eviction). */
  get size(): number {
    return this.entries.size;
  }

  /** A blob URL of the file, kept while `holder` shows it; refuses any path outside media/. */
  url(path: string, holder?: BlobHolder): Promise<string> {
    let entry = this.entries.get(path);
    if (entry) {
      this.entries.delete(path);
    } else {
      const loader = this.loader;
      if (!loader || !isMediaPath(path))
        return Promise.reject(new Error(`refused media path ${JSON.stringify(path)}`));
      const url = loader.fetch(path).then((blob) => URL.createObjectURL(blob));
      url.catch(() => {
        if (this.entries.get(path)?.url === url) this.entries.delete(path);
      });
      const created: Entry = { url, holders: new Set() };
      url.then(
        (u) => {
          created.created = u;
        },
        () => undefined,
      );
      entry = created;
    }
    this.entries.set(path, entry);
    if (holder) entry.holders.add(holder);
    this.evict(path);
    return entry.url;
  }

  /** The file's text (html cells), fetched fresh. */
  async text(path: string): Promise<string> {
    if (!this.loader || !isMediaPath(path)) throw new Error(`refused media path ${JSON.stringify(path)}`);
    return (await this.loader.fetch(path)).text();
  }

  dispose(): void {
    for (const entry of this.entries.values()) this.revoke(entry);
    this.entries.clear();
  }

  /**
   * Drops the oldest entries no element uses until the cache fits (in-use ones stay, even past capacity); never
   * the one just asked for.
   */
  private evict(asked: string): void {
    if (this.entries.size <= this.capacity) return;
    for (const [path, entry] of this.entries) {
      if (this.entries.size <= this.capacity) return;
      for (const holder of entry.holders) if (!holds(holder, entry)) entry.holders.delete(holder);
      if (entry.holders.size > 0 || path === asked) continue;
      this.entries.delete(path);
      this.revoke(entry);
    }
  }

  /** Revokes the entry's URL once every holder still loading it is done (a revoke in mid-load fails the load). */
  private revoke(entry: Entry): void {
    const holders = [...entry.holders].filter(loading);
    entry.url
      .then((url) => {
        let pending = holders.length;
        if (pending === 0) URL.revokeObjectURL(url);
        for (const holder of holders) {
          let finished = false;
          const done = () => {
            if (finished) return;
            finished = true;
            if (--pending === 0) URL.revokeObjectURL(url);
          };
          holder.addEventListener('load', done, { once: true });
          holder.addEventListener('error', done, { once: true });
        }
      })
      .catch(() => undefined);
  }
}
