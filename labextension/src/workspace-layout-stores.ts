import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { LayoutStore } from '@spyglass/widgets';
import type { WorkspaceLayoutClient } from './WorkspaceLayoutClient.js';

/** Keeps a project's layout in `<store_root>/<project>/.workspace.json` through the server. */
export class FileLayoutStore implements LayoutStore {
  constructor(
    private readonly client: WorkspaceLayoutClient,
    private readonly storeRoot: string,
    private readonly project: string,
  ) {}

  load(): Promise<unknown | null> {
    return this.client.loadLayout(this.storeRoot, this.project);
  }

  save(layout: object): Promise<void> {
    return this.client.saveLayout(this.storeRoot, this.project, layout);
  }
}

/** Metadata key of the notebook under which embedded workspaces keep their layouts. */
export const NOTEBOOK_METADATA_KEY = 'spyglass';

/**
 * Keeps an embedded workspace's layout in the notebook holding it, at `metadata.spyglass.workspaces[key]`, so the
 * layout travels with the notebook. The notebook is found when first needed (the output's node inside it).
 */
export class NotebookLayoutStore implements LayoutStore {
  constructor(
    private readonly tracker: INotebookTracker,
    private readonly node: HTMLElement,
    private readonly key: string,
  ) {}

  async load(): Promise<unknown | null> {
    const panel = await this.notebook();
    if (!panel) return null;
    const spyglass = panel.model?.getMetadata(NOTEBOOK_METADATA_KEY) as
      | { workspaces?: Record<string, unknown> }
      | undefined;
    const value = spyglass?.workspaces?.[this.key];
    return value === undefined ? null : value;
  }

  async save(layout: object): Promise<void> {
    const panel = await this.notebook();
    const model = panel?.model;
    if (!model) throw new Error('the notebook holding this workspace is not open');
    const current = (model.getMetadata(NOTEBOOK_METADATA_KEY) ?? {}) as Record<string, unknown>;
    const workspaces = { ...((current.workspaces as Record<string, unknown> | undefined) ?? {}) };
    const next = JSON.parse(JSON.stringify(layout));
    if (JSON.stringify(workspaces[this.key]) === JSON.stringify(next)) return;
    workspaces[this.key] = next;
    model.setMetadata(NOTEBOOK_METADATA_KEY, { ...current, workspaces });
  }

  private async notebook(): Promise<NotebookPanel | null> {
    const find = () => this.tracker.find((panel) => panel.node.contains(this.node)) ?? null;
    let panel = find();
    // The renderer may run before its output is attached; give the DOM a few frames.
    for (let i = 0; !panel && i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      panel = find();
    }
    if (panel) await panel.context.ready;
    return panel;
  }
}
