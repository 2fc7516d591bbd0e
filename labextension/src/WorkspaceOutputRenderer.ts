import type { INotebookTracker } from '@jupyterlab/notebook';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { PanelLayout, Widget } from '@lumino/widgets';
import { parseWorkspaceOutput, WORKSPACE_MIME_TYPE } from '@spyglass/protocol';
import {
  describeError,
  type EmbeddedPanelHost,
  messages,
  WorkspacePanel,
  workspaceMessages,
} from '@spyglass/widgets';
import type { WorkspaceSession } from './WorkspaceWidget.js';
import { NotebookLayoutStore } from './workspace-layout-stores.js';
import { closeWorkspaceSession } from './workspace-session.js';

/**
 * Renders `sg.workspace(project)` in a notebook: a WorkspacePanel whose layout lives in the notebook's metadata
 * (`metadata.spyglass.workspaces[layout_key]`), so it is restored wherever the notebook is opened.
 */
export class WorkspaceOutputRenderer extends Widget implements IRenderMime.IRenderer {
  private panel: WorkspacePanel | null = null;
  private session: WorkspaceSession | null = null;
  private shown = '';

  constructor(
    private readonly tracker: INotebookTracker,
    private readonly openSession: (storeRoot: string, project: string) => Promise<WorkspaceSession>,
    private readonly exportParquet?: (columns: string[], rows: unknown[][]) => Promise<Uint8Array>,
    private readonly embeddedPanels?: (storeRoot: string, project: string) => EmbeddedPanelHost,
  ) {
    super();
    this.addClass('jp-SpyglassWorkspaceOutput');
    this.layout = new PanelLayout();
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const parsed = parseWorkspaceOutput(model.data[WORKSPACE_MIME_TYPE]);
    if (parsed.kind === 'invalid') {
      console.warn(`Spyglass: malformed workspace output (${parsed.reason})`);
      this.showNotice(messages.badOutput);
      return;
    }
    const { data } = parsed;
    const key = JSON.stringify(data);
    if (key === this.shown) return;
    this.shown = key;
    this.clear();
    try {
      const session = await this.openSession(data.store_root, data.project);
      if (this.isDisposed) {
        await session.data.dispose();
        return;
      }
      this.session = session;
      this.panel = new WorkspacePanel({
        data: session.data,
        exportParquet: this.exportParquet,
        embeddedPanels: this.embeddedPanels?.(data.store_root, data.project),
        project: data.project,
        layoutStore: new NotebookLayoutStore(this.tracker, this.node, data.layout_key),
      });
      (this.layout as PanelLayout).addWidget(this.panel);
      await this.panel.start();
    } catch (error) {
      this.showNotice(workspaceMessages.listFailed(describeError(error)));
    }
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.clear();
    super.dispose();
  }

  private clear(): void {
    for (const widget of [...(this.layout as PanelLayout).widgets]) widget.dispose();
    this.panel = null;
    const session = this.session;
    this.session = null;
    if (session) closeWorkspaceSession(session);
  }

  private showNotice(text: string): void {
    this.clear();
    const notice = new Widget();
    notice.addClass('jp-SpyglassRunOutput-notice');
    notice.node.textContent = text;
    (this.layout as PanelLayout).addWidget(notice);
  }
}
