import { Widget } from '@lumino/widgets';
import {
  DEFAULT_MAX_NODES,
  extractNeighbourhood,
  LineageIndex,
  type LineageLayout,
  type LineageView,
  layoutLineage,
  lineagePath,
  mergeGraphs,
  nodeText,
  viewportHeight,
} from '@spyglass/lineage';
import type { LineageGraph, LineageNode } from '@spyglass/protocol';
import { download } from './dom.js';
import { describeError } from './errors.js';
import { LineageDetails } from './lineage/LineageDetails.js';
import { LineageToolbar } from './lineage/LineageToolbar.js';
import { arrowMarker, type DrawnLineage, drawLineage, SVG_NS } from './lineage/lineage-svg.js';
import { nodeToward } from './lineage/node-navigation.js';
import { PanZoom } from './lineage/PanZoom.js';
import { standaloneSvg } from './lineage/svg-export.js';
import { messages } from './messages.js';

const EXPLORE_ROOM = 100;

export interface LineagePanelOptions {
  graph: LineageGraph;
  /** Names the exported file. */
  project?: string;
  /** The node the walk starts from; the graph's own focus when omitted; null draws the whole graph. */
  focus?: string | null;
  /** Hops drawn around the focus (default: all the graph holds). */
  depth?: number;
  /** Siblings of one kind drawn before the rest fold into "+K more" (default 8). */
  threshold?: number;
  /** Opens a run's panel; without it the details pane offers no such button. */
  openRun?: (node: LineageNode) => void;
  /** Fetches the graph again; without it there is no refresh button. */
  refresh?: () => Promise<LineageGraph>;
  /** Fetches the neighbourhood of a node at the edge of the view, to be merged in. */
  loadNeighbourhood?: (nodeId: string) => Promise<LineageGraph>;
}

/**
 * The lineage of runs and artifact versions as a left-to-right graph: wide levels folded into "+K more" nodes,
 * pan and zoom, the path through a clicked node highlighted, its details beside the graph, SVG export. Nodes
 * carry data-spyglass-node-id and edges data-spyglass-edge ("source->target") for tests; all text from data is
 * set through textContent.
 */
export class LineagePanel extends Widget {
  private graph: LineageGraph;
  private readonly focus: string | null;
  private readonly expanded = new Set<string>();
  private readonly explored: string[] = [];
  private selected: string | null = null;
  private view: LineageView | null = null;
  private layoutResult: LineageLayout | null = null;
  private drawn: DrawnLineage | null = null;
  private fitted = false;
  private readonly scroller = document.createElement('div');
  private readonly body = document.createElement('div');
  private readonly toolbar: LineageToolbar;
  private readonly message = document.createElement('p');
  private readonly canvas = document.createElementNS(SVG_NS, 'svg');
  private readonly viewport = document.createElementNS(SVG_NS, 'g');
  private readonly markerId: string;
  private readonly details: LineageDetails;
  private readonly panZoom: PanZoom;
  private readonly resizeObserver: ResizeObserver;

  constructor(private readonly options: LineagePanelOptions) {
    super();
    this.graph = options.graph;
    this.focus = options.focus === undefined ? options.graph.focus : options.focus;
    this.addClass('jp-SpyglassLineagePanel');
    this.node.setAttribute('data-spyglass-lineage', options.project ?? '');
    this.toolbar = new LineageToolbar({
      refresh: options.refresh ? () => void this.refresh() : null,
      fit: () => this.panZoom.fit(),
      zoomIn: () => this.panZoom.zoomBy(1.25),
      zoomOut: () => this.panZoom.zoomBy(0.8),
      exportSvg: () => this.downloadSvg(),
    });
    this.message.className = 'jp-SpyglassLineage-message';
    this.message.hidden = true;
    const marker = arrowMarker();
    this.markerId = marker.id;
    this.canvas.setAttribute('class', 'jp-SpyglassLineage-canvas');
    this.canvas.setAttribute('tabindex', '0');
    this.canvas.setAttribute('role', 'group');
    this.canvas.setAttribute('aria-label', messages.lineageGraphLabel);
    this.viewport.setAttribute('data-viewport', '');
    this.canvas.append(marker.defs, this.viewport);
    // The graph is drawn at a readable scale inside a scrolling viewport rather than shrunk to the panel.
    this.scroller.className = 'jp-SpyglassLineage-viewport';
    this.scroller.append(this.canvas);
    this.details = new LineageDetails({
      openRun: options.openRun ?? null,
      expandGroup: (id) => this.expandGroup(id),
      explore: (id) => void this.explore(id),
      canFetch: options.loadNeighbourhood !== undefined,
      close: () => this.select(null),
    });
    this.body.className = 'jp-SpyglassLineage-body';
    this.body.append(this.scroller, this.details.node);
    this.node.append(this.toolbar.node, this.message, this.body);
    this.panZoom = new PanZoom(this.scroller, this.canvas, () => ({
      width: this.layoutResult?.width ?? 0,
      height: this.layoutResult?.height ?? 0,
    }));
    this.canvas.addEventListener('click', (e) => this.onClick(e));
    this.canvas.addEventListener('dblclick', (e) => this.onDoubleClick(e));
    this.canvas.addEventListener('keydown', (e) => this.onKeyDown(e));
    // Size the view again when the panel's size changes (a tab opened beside it), unless the user has moved it.
    this.resizeObserver = new ResizeObserver(() => {
      if (this.fitted) this.panZoom.refit(this.focusCentre());
      else this.fitOnce();
    });
    this.resizeObserver.observe(this.scroller);
    this.render();
  }

  /** Shows a new version of the graph (a refresh, an updated output), keeping selection and expansions. */
  setGraph(graph: LineageGraph): void {
    this.graph = graph;
    this.render();
  }

  /** The drawn graph as a standalone SVG document. */
  exportSvg(): string {
    return standaloneSvg(this.canvas, this.layoutResult?.width ?? 0, this.layoutResult?.height ?? 0);
  }

  /** Selects a node (null clears): highlights the path through it and shows its details. */
  select(id: string | null): void {
    const drawn = this.drawn;
    const view = this.view;
    this.selected = id !== null && drawn?.nodes.has(id) ? id : null;
    if (!drawn || !view) return;
    const selected = this.selected;
    const path = selected === null ? null : lineagePath(view.edges, selected);
    for (const [nodeId, element] of drawn.nodes) {
      const onPath = path?.nodes.has(nodeId) ?? false;
      element.classList.toggle('jp-mod-selected', nodeId === selected);
      element.classList.toggle('jp-mod-path', onPath);
      element.classList.toggle('jp-mod-dimmed', path !== null && !onPath);
      element.setAttribute('aria-pressed', String(nodeId === selected));
    }
    for (const [key, element] of drawn.edges) {
      const onPath = path?.edges.has(key) ?? false;
      element.classList.toggle('jp-mod-path', onPath);
      element.classList.toggle('jp-mod-dimmed', path !== null && !onPath);
    }
    this.node.setAttribute('data-selected', selected ?? '');
    const viewNode = view.nodes.find((n) => n.id === selected);
    if (viewNode) this.details.show(viewNode, (nodeId) => this.labelOf(nodeId));
    else this.details.clear();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.panZoom.dispose();
    this.resizeObserver.disconnect();
    super.dispose();
  }

  private render(): void {
    let index: LineageIndex;
    try {
      index = new LineageIndex(this.graph);
    } catch (error) {
      this.showMessage(messages.lineageCycle(describeError(error)), true);
      this.viewport.replaceChildren();
      this.drawn = null;
      return;
    }
    const focus = this.focus !== null && index.has(this.focus) ? this.focus : null;
    const keep = new Set([this.selected, focus].filter((id): id is string => id !== null));
    const view = extractNeighbourhood(index, {
      focus,
      depth: this.options.depth,
      threshold: this.options.threshold,
      expanded: this.expanded,
      explored: this.explored,
      keep,
      // Each explored node brings room for its neighbourhood.
      maxNodes: DEFAULT_MAX_NODES + EXPLORE_ROOM * this.explored.length,
    });
    const layout = layoutLineage(view);
    const drawn = drawLineage(layout, this.markerId, focus);
    this.view = view;
    this.layoutResult = layout;
    this.drawn = drawn;
    this.viewport.replaceChildren(drawn.root);
    // A short graph gets a short panel instead of a mostly empty canvas.
    this.body.style.height = `${viewportHeight(layout.height)}px`;
    const runs = view.nodes.filter((n) => n.kind === 'run').length;
    const artifacts = view.nodes.filter((n) => n.kind === 'artifact').length;
    this.toolbar.setCounts(messages.lineageCounts(runs, artifacts));
    this.node.setAttribute('data-node-count', String(view.nodes.length));
    this.node.setAttribute('data-edge-count', String(view.edges.length));
    if (view.nodes.length === 0) this.showMessage(messages.lineageEmpty, false);
    else this.showMessage(this.graph.truncated || view.truncated ? messages.lineageTruncated : '', false);
    this.select(this.selected);
    if (this.fitted) this.panZoom.contentChanged();
    else this.fitOnce();
  }

  private fitOnce(): void {
    if (this.fitted || !this.layoutResult || this.scroller.clientWidth === 0) return;
    this.fitted = true;
    this.panZoom.autoFit(this.focusCentre());
  }

  /** The centre of the drawn focus node, which the first view is scrolled to. */
  private focusCentre(): { x: number; y: number } | undefined {
    const focus = this.focus;
    const placed = this.layoutResult?.nodes.find((n) => n.view.id === focus);
    return placed && { x: placed.x + placed.width / 2, y: placed.y + placed.height / 2 };
  }

  private expandGroup(groupId: string): void {
    this.expanded.add(groupId);
    this.render();
  }

  /** Draws `depth` hops around a node too, fetching its neighbourhood when the panel can. */
  private async explore(nodeId: string): Promise<void> {
    if (!this.explored.includes(nodeId)) this.explored.push(nodeId);
    const load = this.options.loadNeighbourhood;
    if (load) {
      this.toolbar.setBusy(messages.lineageRefreshing);
      try {
        this.graph = mergeGraphs(this.graph, await load(nodeId));
      } catch (error) {
        this.showMessage(messages.lineageExpandFailed(describeError(error)), true);
      } finally {
        this.toolbar.setBusy(null);
      }
    }
    if (!this.isDisposed) this.render();
  }

  private async refresh(): Promise<void> {
    const refresh = this.options.refresh;
    if (!refresh) return;
    this.toolbar.setBusy(messages.lineageRefreshing);
    try {
      let graph = await refresh();
      const load = this.options.loadNeighbourhood;
      if (load) for (const nodeId of this.explored) graph = mergeGraphs(graph, await load(nodeId));
      if (this.isDisposed) return;
      this.setGraph(graph);
    } catch (error) {
      this.showMessage(messages.lineageRefreshFailed(describeError(error)), true);
    } finally {
      this.toolbar.setBusy(null);
    }
  }

  private downloadSvg(): void {
    download(document, this.exportSvg(), `lineage-${this.options.project || 'graph'}.svg`, 'image/svg+xml');
  }

  private nodeIdAt(target: EventTarget | null): string | null {
    const element = target instanceof Element ? target.closest('[data-spyglass-node-id]') : null;
    return element?.getAttribute('data-spyglass-node-id') ?? null;
  }

  private onClick(event: MouseEvent): void {
    if (this.panZoom.dragged) return;
    this.select(this.nodeIdAt(event.target));
  }

  private onDoubleClick(event: MouseEvent): void {
    const id = this.nodeIdAt(event.target);
    const viewNode = this.view?.nodes.find((n) => n.id === id);
    if (viewNode?.group) this.expandGroup(viewNode.id);
    else if (viewNode && (viewNode.hiddenNeighbours > 0 || this.options.loadNeighbourhood))
      void this.explore(viewNode.id);
  }

  private onKeyDown(event: KeyboardEvent): void {
    const id = this.nodeIdAt(event.target);
    if (event.key === 'Escape') {
      this.select(null);
      return;
    }
    if (id === null || !this.layoutResult || !this.view) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.select(id);
      return;
    }
    const next = nodeToward(this.layoutResult, this.view.edges, id, event.key);
    if (next === null) return;
    event.preventDefault();
    const element = this.drawn?.nodes.get(next);
    element?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    element?.focus({ preventScroll: true });
  }

  private labelOf(id: string): string {
    const viewNode = this.view?.nodes.find((n) => n.id === id);
    if (viewNode) {
      const text = nodeText(viewNode);
      return viewNode.group ? `${text.title} ${text.subtitle}` : text.title;
    }
    return this.graph.nodes.find((n) => n.id === id)?.label ?? id;
  }

  private showMessage(text: string, isError: boolean): void {
    this.message.textContent = text;
    this.message.hidden = text === '';
    this.message.classList.toggle('jp-mod-error', isError);
  }
}
