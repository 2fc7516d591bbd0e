import {
  CHAR_WIDTH,
  charsThatFit,
  edgeKey,
  fitText,
  LABEL_FONT_PX,
  type LineageLayout,
  NODE_LINE_HEIGHT,
  NODE_PADDING_X,
  NODE_PADDING_Y,
  type PlacedEdge,
  type PlacedNode,
} from '@spyglass/lineage';

export const SVG_NS = 'http://www.w3.org/2000/svg';
const CHIP_GAP = 4;
const CHIP_HEIGHT = 16;
/** Advance of one chip character: CHAR_WIDTH is measured at the title's size. */
const CHIP_CHAR_WIDTH = (CHAR_WIDTH * LABEL_FONT_PX.chip) / LABEL_FONT_PX.title;

/** An SVG element with attributes set (never text: callers set textContent). */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/** The drawn graph: one group of edges and nodes, with lookups by node id and edge key. */
export interface DrawnLineage {
  root: SVGGElement;
  nodes: Map<string, SVGGElement>;
  edges: Map<string, SVGPathElement>;
}

let markerCount = 0;

/** The arrow-head marker; its id is unique on the page, since several panels may share it. */
export function arrowMarker(): { defs: SVGDefsElement; id: string } {
  const id = `jp-SpyglassLineage-arrow-${++markerCount}`;
  const defs = svg('defs');
  const marker = svg('marker', {
    id,
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'jp-SpyglassLineage-arrow' }));
  defs.append(marker);
  return { defs, id };
}

/** Draws a laid-out lineage: edges first (under the nodes), then one focusable group per node. */
export function drawLineage(layout: LineageLayout, markerId: string, focus: string | null): DrawnLineage {
  const root = svg('g', { class: 'jp-SpyglassLineage-graph' });
  const edges = new Map<string, SVGPathElement>();
  const nodes = new Map<string, SVGGElement>();
  const edgeLayer = svg('g', { class: 'jp-SpyglassLineage-edges' });
  for (const placed of layout.edges) {
    const path = drawEdge(placed, markerId);
    edges.set(edgeKey(placed.edge), path);
    edgeLayer.append(path);
  }
  const nodeLayer = svg('g', { class: 'jp-SpyglassLineage-nodes' });
  for (const placed of layout.nodes) {
    const node = drawNode(placed, placed.view.id === focus);
    nodes.set(placed.view.id, node);
    nodeLayer.append(node);
  }
  root.append(edgeLayer, nodeLayer);
  return { root, nodes, edges };
}

function drawEdge({ edge, points }: PlacedEdge, markerId: string): SVGPathElement {
  const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
  return svg('path', {
    d,
    class: 'jp-SpyglassLineage-edge',
    'data-spyglass-edge': edgeKey(edge),
    'data-source': edge.source,
    'data-target': edge.target,
    'data-kind': edge.kind,
    'marker-end': `url(#${markerId})`,
  });
}

function drawNode(placed: PlacedNode, isFocus: boolean): SVGGElement {
  const { view, text, width, height } = placed;
  const g = svg('g', {
    class: 'jp-SpyglassLineage-node',
    transform: `translate(${placed.x.toFixed(1)} ${placed.y.toFixed(1)})`,
    'data-spyglass-node-id': view.id,
    'data-kind': view.kind,
    tabindex: 0,
    role: 'button',
    'aria-pressed': 'false',
  });
  if (isFocus) g.classList.add('jp-mod-focus');
  const artifact = view.node?.artifact;
  if (artifact) {
    g.setAttribute('data-artifact-type', artifact.type);
    g.setAttribute('data-aliases', artifact.aliases.join(' '));
  }
  if (view.node?.run?.state) g.setAttribute('data-state', view.node.run.state);
  if (view.hiddenNeighbours > 0) g.setAttribute('data-hidden-neighbours', String(view.hiddenNeighbours));
  g.setAttribute('aria-label', [text.title, text.subtitle, ...text.chips].filter(Boolean).join(', '));

  const title = svg('title');
  title.textContent = [text.title, text.subtitle].filter(Boolean).join('\n');
  g.append(title, svg('rect', { width, height, rx: 8, ry: 8, class: 'jp-SpyglassLineage-box' }));
  const fits = charsThatFit(width);
  const line = (row: number, value: string, cls: string, fontSize: number) => {
    const t = svg('text', {
      x: NODE_PADDING_X,
      y: NODE_PADDING_Y + row * NODE_LINE_HEIGHT + 12,
      class: cls,
      'font-size': fontSize,
    });
    t.textContent = fitText(value, fits);
    return t;
  };
  g.append(
    line(0, text.title, 'jp-SpyglassLineage-title', LABEL_FONT_PX.title),
    line(1, text.subtitle, 'jp-SpyglassLineage-subtitle', LABEL_FONT_PX.subtitle),
  );
  if (text.chips.length > 0) g.append(drawChips(text.chips, width, NODE_PADDING_Y + 2 * NODE_LINE_HEIGHT));
  if (view.hiddenNeighbours > 0) {
    const badge = svg('text', {
      x: width - 6,
      y: 14,
      class: 'jp-SpyglassLineage-more',
      'text-anchor': 'end',
      'font-size': LABEL_FONT_PX.badge,
    });
    badge.textContent = `+${view.hiddenNeighbours}`;
    g.append(badge);
  }
  return g;
}

/** Alias chips in one row, as many as fit; the rest are summed up in a last "+N". */
function drawChips(chips: readonly string[], width: number, top: number): SVGGElement {
  const row = svg('g', {
    class: 'jp-SpyglassLineage-chips',
    transform: `translate(${NODE_PADDING_X} ${top})`,
  });
  let x = 0;
  const room = width - 2 * NODE_PADDING_X;
  for (let i = 0; i < chips.length; i++) {
    const label = fitText(chips[i], 14);
    const chipWidth = label.length * CHIP_CHAR_WIDTH + 10;
    const rest = chips.length - i;
    if (x + chipWidth > room && rest > 0) {
      const more = svg('text', {
        x,
        y: 12,
        class: 'jp-SpyglassLineage-chip-text',
        'font-size': LABEL_FONT_PX.chip,
      });
      more.textContent = `+${rest}`;
      row.append(more);
      break;
    }
    const chip = svg('g', { class: 'jp-SpyglassLineage-chip', transform: `translate(${x.toFixed(1)} 0)` });
    chip.setAttribute('data-alias', chips[i]);
    const textNode = svg('text', {
      x: 5,
      y: 12,
      class: 'jp-SpyglassLineage-chip-text',
      'font-size': LABEL_FONT_PX.chip,
    });
    textNode.textContent = label;
    chip.append(svg('rect', { width: chipWidth, height: CHIP_HEIGHT, rx: 8, ry: 8 }), textNode);
    row.append(chip);
    x += chipWidth + CHIP_GAP;
  }
  return row;
}
