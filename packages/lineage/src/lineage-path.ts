/** An edge as the path needs it. */
export interface PathEdge {
  source: string;
  target: string;
}

/** The nodes and edges on some path through a selected node. */
export interface LineagePath {
  nodes: Set<string>;
  /** Keys from edgeKey(). */
  edges: Set<string>;
}

/** A stable key for an edge, used by the panel's data-spyglass-edge attribute too. */
export function edgeKey(edge: PathEdge): string {
  return `${edge.source}->${edge.target}`;
}

/**
 * Everything upstream and downstream of `selected`: all its ancestors and descendants, and the edges that lie
 * on a path through it (an edge between two ancestors, or two descendants; a shortcut from an ancestor straight
 * to a descendant bypasses the node and is left out). Works on any directed graph, cycles included.
 */
export function lineagePath(edges: readonly PathEdge[], selected: string): LineagePath {
  const forward = new Map<string, PathEdge[]>();
  const backward = new Map<string, PathEdge[]>();
  for (const edge of edges) {
    append(forward, edge.source, edge);
    append(backward, edge.target, edge);
  }
  const up = reach(selected, backward, (e) => e.source);
  const down = reach(selected, forward, (e) => e.target);
  const onPath = new Set<string>();
  for (const edge of edges) {
    if ((up.has(edge.source) && up.has(edge.target)) || (down.has(edge.source) && down.has(edge.target)))
      onPath.add(edgeKey(edge));
  }
  return { nodes: new Set([...up, ...down]), edges: onPath };
}

/** The start and every node reachable from it through `next`. */
function reach(
  start: string,
  adjacency: Map<string, PathEdge[]>,
  next: (e: PathEdge) => string,
): Set<string> {
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const edge of adjacency.get(stack.pop() as string) ?? []) {
      const id = next(edge);
      if (!seen.has(id)) {
        seen.add(id);
        stack.push(id);
      }
    }
  }
  return seen;
}

function append(map: Map<string, PathEdge[]>, key: string, edge: PathEdge): void {
  const list = map.get(key);
  if (list) list.push(edge);
  else map.set(key, [edge]);
}
