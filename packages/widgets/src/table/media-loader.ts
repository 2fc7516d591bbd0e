import { isMediaPath } from '@spyglass/store';

/** Fetches one media file of the table's run (a run-relative path under media/) with the server's auth. */
export interface MediaLoader {
  fetch(path: string): Promise<Blob>;
}

/**
 * Blob URLs of fetched media files, shared by the thumbnails and previews of one explorer. Oldest entries are
 * revoked past `capacity`, and all of them on dispose, so scrolling through many images does not leak.
 */
export class BlobUrlCache {
  private readonly urls = new Map<string, Promise<string>>();

  constructor(
    private readonly loader: MediaLoader | null,
    private readonly capacity = 300,
  ) {}

  get available(): boolean {
    return this.loader !== null;
  }

  /** A blob URL of the file; refuses any path outside media/. */
  url(path: string): Promise<string> {
    const cached = this.urls.get(path);
    if (cached) {
      this.urls.delete(path);
      this.urls.set(path, cached);
      return cached;
    }
    const loader = this.loader;
    if (!loader || !isMediaPath(path))
      return Promise.reject(new Error(`refused media path ${JSON.stringify(path)}`));
    const promise = loader.fetch(path).then((blob) => URL.createObjectURL(blob));
    promise.catch(() => this.urls.delete(path));
    this.urls.set(path, promise);
    while (this.urls.size > this.capacity) {
      const [oldest, url] = this.urls.entries().next().value as [string, Promise<string>];
      this.urls.delete(oldest);
      url.then((u) => URL.revokeObjectURL(u)).catch(() => undefined);
    }
    return promise;
  }

  /** The file's text (html cells), fetched fresh. */
  async text(path: string): Promise<string> {
    if (!this.loader || !isMediaPath(path)) throw new Error(`refused media path ${JSON.stringify(path)}`);
    return (await this.loader.fetch(path)).text();
  }

  dispose(): void {
    for (const url of this.urls.values()) url.then((u) => URL.revokeObjectURL(u)).catch(() => undefined);
    this.urls.clear();
  }
}
