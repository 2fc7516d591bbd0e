import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { PanelLayout, Widget } from '@lumino/widgets';
import {
  LINEAGE_MIME_TYPE,
  type LineageNode,
  type LineageOutputData,
  parseLineageGraph,
  parseLineageOutput,
} from '@spyglass/protocol';
import { describeError, LineagePanel, messages } from '@spyglass/widgets';
import type { StoreClient } from './StoreClient.js';

/** Hops the endpoint is asked for around a node the user explores. */
const EXPLORE_DEPTH = 2;

/**
 * Renders a lineage output as a LineagePanel: the bundle's graph at once (so a saved notebook shows it with no
 * server), then the server's current graph when the user presses refresh, and a node's neighbourhood from the
 * lineage endpoint when the user explores a node at the edge of the view.
 */
export class LineageOutputRenderer extends Widget implements IRenderMime.IRenderer {
  private panel: LineagePanel | null = null;
  private shown = '';

  constructor(
    private readonly client: StoreClient,
    private readonly openRun: ((storeRoot: string, node: LineageNode) => void) | null,
  ) {
    super();
    this.addClass('jp-SpyglassLineageOutput');
    this.layout = new PanelLayout();
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    let data: LineageOutputData;
    try {
      data = parseLineageOutput(model.data[LINEAGE_MIME_TYPE]);
    } catch (error) {
      console.warn('Spyglass: malformed lineage output', error);
      this.showNotice(`${messages.badOutput} (${describeError(error)})`);
      return;
    }
    const key = JSON.stringify([data.store_root, data.project, data.focus]);
    // update_display_data of the same lineage: keep the panel (selection, zoom) and give it the new graph.
    if (this.panel && key === this.shown) {
      this.panel.setGraph(data.graph);
      return;
    }
    this.shown = key;
    const openRun = this.openRun;
    this.setContent(
      new LineagePanel({
        graph: data.graph,
        project: data.project,
        focus: data.focus ?? data.graph.focus,
        openRun: openRun ? (node) => openRun(data.store_root, node) : undefined,
        refresh: () => this.fetch(data, data.focus ?? undefined),
        loadNeighbourhood: (nodeId) => this.fetch(data, nodeId, EXPLORE_DEPTH),
      }),
    );
  }

  private async fetch(data: LineageOutputData, focus?: string, depth?: number) {
    return parseLineageGraph(await this.client.lineage(data.store_root, data.project, focus, depth));
  }

  private setContent(widget: Widget | null): void {
    const layout = this.layout as PanelLayout;
    for (const old of [...layout.widgets]) old.dispose();
    this.panel = widget instanceof LineagePanel ? widget : null;
    if (widget) layout.addWidget(widget);
  }

  private showNotice(text: string): void {
    const notice = new Widget();
    notice.addClass('jp-SpyglassRunOutput-notice');
    notice.node.textContent = text;
    this.shown = '';
    this.setContent(notice);
  }
}
