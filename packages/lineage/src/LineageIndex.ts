import type { LineageEdge, LineageGraph, LineageNode } from '@spyglass/protocol';
import { LineageCycleError, UnknownNodeError } from './errors.js';

const WHITE = 0;
const GREY = 1;
const BLACK = 2;

/** When a node was created (seconds), or -Infinity when unknown, so undated nodes sort first. */
export function createdAt(node: LineageNode): number {
  return node.run?.created_at ?? node.artifact?.created_at ?? Number.NEGATIVE_INFINITY;
}

/** Oldest first, then by id, so every ordering in the panel is deterministic. */
export function byTime(a: LineageNode, b: LineageNode): number {
  return createdAt(a) - createdAt(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Adjacency of a lineage graph, built once (O(nodes + edges)) and shared by neighbourhood extraction, paths and
 * layout. Construction refuses a graph with a cycle.
 */
export class LineageIndex {
  readonly nodes = new Map<string, LineageNode>();
  readonly outgoing = new Map<string, LineageEdge[]>();
  readonly incoming = new Map<string, LineageEdge[]>();

  constructor(readonly graph: LineageGraph) {
    for (const node of graph.nodes) {
      this.nodes.set(node.id, node);
      this.outgoing.set(node.id, []);
      this.incoming.set(node.id, []);
    }
    for (const edge of graph.edges) {
      const out = this.outgoing.get(edge.source);
      const into = this.incoming.get(edge.target);
      if (!out) throw new UnknownNodeError(edge.source);
      if (!into) throw new UnknownNodeError(edge.target);
      out.push(edge);
      into.push(edge);
    }
    assertAcyclic(this);
  }

  node(id: string): LineageNode {
    const node = this.nodes.get(id);
    if (!node) throw new UnknownNodeError(id);
    return node;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  /** Number of edges touching a node in either direction. */
  degree(id: string): number {
    return (this.outgoing.get(id)?.length ?? 0) + (this.incoming.get(id)?.length ?? 0);
  }
}

/** Throws LineageCycleError naming one cycle. Iterative DFS, so a long chain cannot overflow the stack. */
function assertAcyclic(index: LineageIndex): void {
  const colour = new Map<string, number>();
  const parent = new Map<string, string>();
  for (const start of index.nodes.keys()) {
    if ((colour.get(start) ?? WHITE) !== WHITE) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    colour.set(start, GREY);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const edges = index.outgoing.get(top.id) ?? [];
      if (top.next === edges.length) {
        colour.set(top.id, BLACK);
        stack.pop();
        continue;
      }
      const target = edges[top.next++].target;
      const seen = colour.get(target) ?? WHITE;
      if (seen === GREY) throw new LineageCycleError(cycleTo(target, top.id, parent));
      if (seen === WHITE) {
        colour.set(target, GREY);
        parent.set(target, top.id);
        stack.push({ id: target, next: 0 });
      }
    }
  }
}

function cycleTo(start: string, last: string, parent: Map<string, string>): string[] {
  const cycle = [last];
  for (let id = last; id !== start; ) {
    id = parent.get(id) as string;
    cycle.push(id);
  }
  return [...cycle.reverse(), start];
}
