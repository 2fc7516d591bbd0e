import type { LineageEdgeKind, LineageNode } from '@spyglass/protocol';
import {
  DEFAULT_COLLAPSE_THRESHOLD,
  type GroupDirection,
  groupId,
  siblingKind,
  splitSiblings,
} from './collapse.js';
import { byTime, createdAt, type LineageIndex } from './LineageIndex.js';

/** A "+K more" node: siblings of one kind on one side of `parent`, folded into one. */
export interface SiblingGroup {
  parent: string;
  direction: GroupDirection;
  /** "run" or "artifact:<type>" */
  kind: string;
  members: string[];
}

/** A node as the panel draws it: a run, an artifact version, or a group of folded siblings. */
export interface ViewNode {
  id: string;
  kind: 'run' | 'artifact' | 'group';
  node: LineageNode | null;
  group: SiblingGroup | null;
  /** Neighbours in the graph that this view leaves out (beyond the depth): the node can be expanded. */
  hiddenNeighbours: number;
  createdAt: number;
}

export interface ViewEdge {
  source: string;
  target: string;
  kind: LineageEdgeKind;
}

/** What the panel lays out and draws. */
export interface LineageView {
  nodes: ViewNode[];
  edges: ViewEdge[];
  focus: string | null;
  /** The walk stopped at `maxNodes`; nodes at its edge say how many neighbours are left out. */
  truncated: boolean;
}

/** Nodes drawn at most, whatever the depth: dagre's layout grows much faster than linearly. */
export const DEFAULT_MAX_NODES = 200;

export interface NeighbourhoodOptions {
  /** Start here and walk `depth` hops either way; without a focus the whole graph is drawn. */
  focus?: string | null;
  depth?: number;
  /** See splitSiblings; Infinity never collapses. */
  threshold?: number;
  /** Group ids the user expanded. */
  expanded?: ReadonlySet<string>;
  /** Node ids that must stay visible if reached (e.g. the selected node's path). */
  keep?: ReadonlySet<string>;
  /** Nodes whose neighbourhood the user opened: the walk starts from each of them too, `depth` hops around. */
  explored?: readonly string[];
  /** See DEFAULT_MAX_NODES; group nodes do not count. */
  maxNodes?: number;
}

const DIRECTIONS: readonly GroupDirection[] = ['in', 'out'];

/**
 * The part of the graph the panel draws: a breadth-first walk from the focus (or from every root, oldest first,
 * when there is none) up to `depth` hops along edges of either direction. A level with more than `threshold`
 * siblings of one kind keeps `threshold - 1` and folds the rest into a group node that the walk does not enter,
 * so the work stays bounded however wide the project is. Edges between drawn nodes are all kept.
 */
export function extractNeighbourhood(index: LineageIndex, options: NeighbourhoodOptions = {}): LineageView {
  const focus = options.focus ?? null;
  const depth = options.depth ?? Number.POSITIVE_INFINITY;
  const threshold = options.threshold ?? DEFAULT_COLLAPSE_THRESHOLD;
  const expanded = options.expanded ?? new Set<string>();
  const keep = options.keep ?? new Set<string>();
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  let truncated = false;

  const distance = new Map<string, number>();
  const hiddenIn = new Map<string, string>();
  const groups = new Map<string, SiblingGroup>();
  const queue: string[] = [];
  // Relaxing: a node reached again by a shorter way (from an explored node) is walked on from there.
  const show = (id: string, d: number) => {
    const known = distance.get(id);
    if (known !== undefined && known <= d) return;
    if (known === undefined && distance.size >= maxNodes) {
      truncated = true;
      return;
    }
    distance.set(id, d);
    queue.push(id);
  };
  const mayShow = (id: string) => keep.has(id) || distance.has(id);

  const visit = (id: string) => {
    const d = distance.get(id) as number;
    if (d >= depth) return;
    for (const direction of DIRECTIONS) {
      for (const [kind, siblings] of siblingsOf(index, id, direction)) {
        const gid = groupId(id, direction, kind);
        const limit = expanded.has(gid) ? Number.POSITIVE_INFINITY : threshold;
        const { shown, hidden } = splitSiblings(siblings, limit, mayShow);
        for (const n of shown) show(n.id, d + 1);
        for (const n of hidden) {
          if (distance.has(n.id) || hiddenIn.has(n.id)) continue;
          hiddenIn.set(n.id, gid);
          const group = groups.get(gid);
          if (group) group.members.push(n.id);
          else groups.set(gid, { parent: id, direction, kind, members: [n.id] });
        }
      }
    }
  };

  // Without a focus the walk starts from every root (a DAG reaches all its nodes from them), so what lies
  // behind a folded group stays folded instead of being drawn as a seed of its own.
  const starts =
    focus !== null
      ? [index.node(focus)]
      : [...index.nodes.values()].filter((n) => index.incoming.get(n.id)?.length === 0).sort(byTime);
  const explored = (options.explored ?? []).filter((id) => index.has(id));
  const seeds = [...starts.map((n) => n.id), ...explored];
  seeds.forEach((seed, i) => {
    // A root folded behind a group stays folded; a node the user explored is drawn whatever folded it.
    if (i < starts.length && hiddenIn.has(seed)) return;
    const head = queue.length;
    show(seed, 0);
    for (let at = head; at < queue.length; at++) visit(queue[at]);
  });
  return { ...assemble(index, distance, groups, focus), truncated };
}

/** Neighbours on one side of a node, bucketed by sibling kind, each bucket oldest first. */
function siblingsOf(index: LineageIndex, id: string, direction: GroupDirection): Map<string, LineageNode[]> {
  const edges = (direction === 'out' ? index.outgoing : index.incoming).get(id) ?? [];
  const buckets = new Map<string, LineageNode[]>();
  const seen = new Set<string>();
  for (const edge of edges) {
    const other = direction === 'out' ? edge.target : edge.source;
    if (seen.has(other)) continue;
    seen.add(other);
    const node = index.node(other);
    const kind = siblingKind(node);
    const bucket = buckets.get(kind);
    if (bucket) bucket.push(node);
    else buckets.set(kind, [node]);
  }
  for (const bucket of buckets.values()) bucket.sort(byTime);
  return buckets;
}

function assemble(
  index: LineageIndex,
  distance: Map<string, number>,
  groups: Map<string, SiblingGroup>,
  focus: string | null,
): Omit<LineageView, 'truncated'> {
  // A node folded into one group but reached as drawn through another path is drawn, not folded.
  const folded = new Map<string, string>();
  for (const [gid, group] of groups) {
    group.members = group.members.filter((m) => !distance.has(m));
    if (group.members.length === 0) groups.delete(gid);
    else for (const m of group.members) folded.set(m, gid);
  }
  const nodes: ViewNode[] = [];
  const edges: ViewEdge[] = [];
  const groupEdges = new Set<string>();
  for (const id of distance.keys()) {
    const node = index.node(id);
    let hiddenNeighbours = 0;
    const neighbours = new Set<string>();
    for (const edge of index.outgoing.get(id) ?? []) {
      neighbours.add(edge.target);
      if (distance.has(edge.target)) edges.push({ source: id, target: edge.target, kind: edge.kind });
      else {
        const gid = folded.get(edge.target);
        if (gid && groups.get(gid)?.parent === id && !groupEdges.has(gid)) {
          groupEdges.add(gid);
          edges.push({ source: id, target: gid, kind: edge.kind });
        }
      }
    }
    for (const edge of index.incoming.get(id) ?? []) {
      neighbours.add(edge.source);
      const gid = folded.get(edge.source);
      if (!distance.has(edge.source) && gid && groups.get(gid)?.parent === id && !groupEdges.has(gid)) {
        groupEdges.add(gid);
        edges.push({ source: gid, target: id, kind: edge.kind });
      }
    }
    for (const other of neighbours) {
      const gid = folded.get(other);
      if (!distance.has(other) && !(gid && groups.get(gid)?.parent === id)) hiddenNeighbours++;
    }
    nodes.push({ id, kind: node.kind, node, group: null, hiddenNeighbours, createdAt: createdAt(node) });
  }
  for (const [gid, group] of groups) {
    const oldest = group.members.reduce(
      (t, m) => Math.min(t, createdAt(index.node(m))),
      Number.POSITIVE_INFINITY,
    );
    nodes.push({ id: gid, kind: 'group', node: null, group, hiddenNeighbours: 0, createdAt: oldest });
  }
  nodes.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { nodes, edges, focus };
}
