import type { LineageGraph } from '@spyglass/protocol';
import { edgeKey } from './lineage-path.js';

/**
 * Adds a freshly fetched neighbourhood to the graph the panel holds: nodes by id (the newer copy wins, so states
 * and aliases are current), edges once each. `truncated` and `focus` come from the base graph.
 */
export function mergeGraphs(base: LineageGraph, fresh: LineageGraph): LineageGraph {
  const nodes = new Map(base.nodes.map((n) => [n.id, n]));
  for (const n of fresh.nodes) nodes.set(n.id, n);
  const edges = new Map(base.edges.map((e) => [edgeKey(e), e]));
  for (const e of fresh.edges) edges.set(edgeKey(e), e);
  return {
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    focus: base.focus,
    truncated: base.truncated,
  };
}
