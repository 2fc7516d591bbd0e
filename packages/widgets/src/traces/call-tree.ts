import type { TraceCall } from './call-types.js';

/** A call with its children in start order. */
export interface CallNode {
  call: TraceCall;
  children: CallNode[];
}

export interface CallTree {
  /** The trace's root, then any call whose parent is not among the calls (a cut tree), in start order. */
  roots: CallNode[];
  byId: Map<string, CallNode>;
}

/** One row of the tree as drawn: the node, its depth, and whether it has children. */
export interface TreeRow {
  node: CallNode;
  depth: number;
}

/** The tree of a trace's flat rows (any order); no recursion, so a 10k-deep chain is fine. */
export function buildCallTree(calls: readonly TraceCall[]): CallTree {
  const byId = new Map<string, CallNode>();
  for (const call of calls) byId.set(call.id, { call, children: [] });
  const roots: CallNode[] = [];
  for (const node of byId.values()) {
    const parentId = node.call.parent_id;
    const parent = parentId !== null && parentId !== node.call.id ? byId.get(parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const byStart = (a: CallNode, b: CallNode) =>
    a.call.started_at - b.call.started_at || (a.call.id < b.call.id ? -1 : a.call.id > b.call.id ? 1 : 0);
  for (const node of byId.values()) if (node.children.length > 1) node.children.sort(byStart);
  roots.sort(byStart);
  return { roots, byId };
}

/** The rows shown, depth first, skipping the children of collapsed calls (a cycle is never followed twice). */
export function visibleRows(tree: CallTree, collapsed: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const seen = new Set<string>();
  const stack: TreeRow[] = [...tree.roots].reverse().map((node) => ({ node, depth: 0 }));
  while (stack.length > 0) {
    const row = stack.pop() as TreeRow;
    if (seen.has(row.node.call.id)) continue;
    seen.add(row.node.call.id);
    rows.push(row);
    if (collapsed.has(row.node.call.id)) continue;
    for (let i = row.node.children.length - 1; i >= 0; i--) {
      stack.push({ node: row.node.children[i] as CallNode, depth: row.depth + 1 });
    }
  }
  return rows;
}

/** Calls to collapse at first so a big tree opens short: every call below `depth` that has children. */
export function collapsedBelow(tree: CallTree, depth: number): Set<string> {
  const collapsed = new Set<string>();
  for (const row of visibleRows(tree, new Set())) {
    if (row.depth >= depth && row.node.children.length > 0) collapsed.add(row.node.call.id);
  }
  return collapsed;
}
