/**
 * Where a workspace keeps its layout: the project's `.workspace.json` through the server, or the notebook's
 * metadata when the workspace is embedded in an output. `load` returns the saved JSON (unvalidated) or null.
 */
export interface LayoutStore {
  load(): Promise<unknown | null>;
  save(layout: object): Promise<void>;
}

/** A layout store in memory (tests, and a fallback when nothing else is available). */
export class MemoryLayoutStore implements LayoutStore {
  constructor(private saved: unknown | null = null) {}

  async load(): Promise<unknown | null> {
    return this.saved === null ? null : structuredClone(this.saved);
  }

  async save(layout: object): Promise<void> {
    this.saved = structuredClone(layout);
  }
}
