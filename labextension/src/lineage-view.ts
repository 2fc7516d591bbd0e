import { PanelLayout, Widget } from '@lumino/widgets';
import { type LineageNode, type LineageOutputData, parseLineageGraph } from '@spyglass/protocol';
import { LineagePanel } from '@spyglass/widgets';
import type { StoreClient } from './StoreClient.js';

/** Hops the endpoint is asked for around a node the user explores. */
const EXPLORE_DEPTH = 2;

/**
 * A LineagePanel over a project's lineage: the given graph at once (so a saved notebook shows it with no
 * server), then the server's current graph when the user presses refresh, and a node's neighbourhood from the
 * lineage endpoint when the user explores a node at the edge of the view. Shared by the notebook output
 * renderer and the workspace's lineage panel.
 */
export class LineageView extends Widget {
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

  /** Shows this lineage; the same one again (update_display_data) keeps the panel (selection, zoom). */
  display(data: LineageOutputData): void {
    const key = JSON.stringify([data.store_root, data.project, data.focus]);
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

  /** Shows a line of text instead of the graph. */
  showNotice(text: string): void {
    const notice = new Widget();
    notice.addClass('jp-SpyglassRunOutput-notice');
    notice.node.textContent = text;
    this.shown = '';
    this.setContent(notice);
  }
}
