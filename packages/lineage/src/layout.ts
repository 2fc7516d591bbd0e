import { Graph, layout } from '@dagrejs/dagre';
import type { LineageView, ViewEdge, ViewNode } from './neighbourhood.js';
import { type NodeText, nodeSize, nodeText } from './node-text.js';

export interface PlacedNode {
  view: ViewNode;
  text: NodeText;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  edge: ViewEdge;
  points: Array<{ x: number; y: number }>;
}

export interface LineageLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export interface LayoutOptions {
  rankSeparation?: number;
  nodeSeparation?: number;
  margin?: number;
}

/**
 * Lays a view out left to right with dagre: edges point forward in time, so ranks follow time; nodes enter the
 * graph oldest first, which dagre's ordering keeps where crossings allow.
 */
export function layoutLineage(view: LineageView, options: LayoutOptions = {}): LineageLayout {
  const margin = options.margin ?? 12;
  const g = new Graph({ multigraph: false });
  g.setGraph({
    rankdir: 'LR',
    ranksep: options.rankSeparation ?? 56,
    nodesep: options.nodeSeparation ?? 14,
    edgesep: 8,
    marginx: margin,
    marginy: margin,
    // network-simplex (dagre's default) ranks a little more compactly but took 3-5x longer on views of a few
    // hundred nodes (bench/lineage-render.mjs); lineage edges already point forward in time.
    ranker: 'tight-tree',
  });
  g.setDefaultEdgeLabel(() => ({}));
  const texts = new Map<string, NodeText>();
  for (const node of view.nodes) {
    const text = nodeText(node);
    texts.set(node.id, text);
    g.setNode(node.id, nodeSize(text));
  }
  for (const edge of view.edges) g.setEdge(edge.source, edge.target);
  layout(g);

  const nodes = view.nodes.map((view): PlacedNode => {
    const { x, y, width, height } = g.node(view.id) as {
      x: number;
      y: number;
      width: number;
      height: number;
    };
    return { view, text: texts.get(view.id) as NodeText, x: x - width / 2, y: y - height / 2, width, height };
  });
  const edges = view.edges.map((edge): PlacedEdge => {
    const label = g.edge(edge.source, edge.target) as { points?: Array<{ x: number; y: number }> };
    return { edge, points: label.points ?? [] };
  });
  const size = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}
