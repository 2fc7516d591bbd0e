/**
 * Where a workspace keeps its layout: the project's `.workspace.json` through the server, or the notebook's
 * metadata when the workspace is embedded in an output. `load` returns the saved JSON (unvalidated) or null.
 */
export interface LayoutStore {
  load(): Promise<unknown | null>;
  save(layout: object): Promise<void>;
}
