import type { EmbeddedPanel } from '@spyglass/charts';
import type { WorkspaceRun } from '@spyglass/protocol';

/** A live view inside an embedded workspace panel (a table explorer, sweep panel or lineage graph). */
export interface EmbeddedView {
  readonly node: HTMLElement;
  /** Called once `node` is in the document (a Lumino widget can attach only then). */
  attached?(): void;
  /** Stops its polling and releases what it holds (DuckDB tables, timers). */
  dispose(): void;
}

/** A sweep the editor offers. */
export interface SweepChoice {
  id: string;
  name: string | null;
  state: string;
}

/**
 * What the page hosting the workspace supplies for the embedded panel kinds: it knows the server endpoints and
 * the notebook renderers' widgets, which this package must not import (no JupyterLab here). Without a host the
 * editor does not offer these kinds and a saved one says why it is empty.
 */
export interface EmbeddedPanelHost {
  /** The project's sweeps, for the editor. */
  listSweeps(): Promise<SweepChoice[]>;
  /** The steps at which this run logged table `key`, ascending. */
  tableSteps(run: WorkspaceRun, key: string): Promise<number[]>;
  /** A view of this panel; `run` is the table panel's run from the listing (null if it is not there). */
  create(panel: EmbeddedPanel, run: WorkspaceRun | null): EmbeddedView;
}

/** Keys of a run's summary holding a logged table reference (`{"_type":"table","path":...}` JSON strings). */
export function tableKeys(run: WorkspaceRun): string[] {
  const keys: string[] = [];
  for (const [key, value] of Object.entries(run.summary)) {
    if (typeof value !== 'string' || !value.includes('"table"')) continue;
    try {
      const ref = JSON.parse(value) as { _type?: unknown; path?: unknown };
      if (ref._type === 'table' && typeof ref.path === 'string') keys.push(key);
    } catch {
      // a string that merely mentions "table"
    }
  }
  return keys.sort();
}
