import { ProtocolError } from './errors.js';

export type LineageNodeKind = 'run' | 'artifact';
/** run → artifact is `produced`; artifact → run is `consumed`. Edges always point forward in time. */
export type LineageEdgeKind = 'produced' | 'consumed';

export interface LineageRunInfo {
  run_id: string;
  name: string | null;
  state: string | null;
  job_type: string | null;
  /** Seconds since the epoch. */
  created_at: number | null;
}

export interface LineageArtifactInfo {
  name: string;
  type: string;
  /** "v3" */
  version: string;
  aliases: string[];
  digest: string;
  size: number;
  file_count: number;
  created_at: number | null;
  /** "registry/collection:v2" */
  registry_links: string[];
}

/** A run or an artifact version; ids are "run:<project>/<run_id>" or "artifact:<project>/<name>:v<N>". */
export interface LineageNode {
  id: string;
  kind: LineageNodeKind;
  label: string;
  project: string;
  run: LineageRunInfo | null;
  artifact: LineageArtifactInfo | null;
}

export interface LineageEdge {
  source: string;
  target: string;
  kind: LineageEdgeKind;
}

/** What `spyglass.artifacts.lineage_graph()` and GET /spyglass/api/v1/lineage answer. */
export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
  focus: string | null;
  /** The server cut the graph at its size cap; more nodes exist than are listed. */
  truncated: boolean;
}

/** The lineage MIME bundle's data. */
export interface LineageOutputData {
  store_root: string;
  project: string;
  focus: string | null;
  graph: LineageGraph;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(field: string, what: string, value: unknown): never {
  throw new ProtocolError(`Lineage field '${field}' must be ${what}, got ${JSON.stringify(value)}`, field);
}
function str(o: Json, f: string, at: string): string {
  return typeof o[f] === 'string' ? (o[f] as string) : fail(`${at}.${f}`, 'a string', o[f]);
}
const strOrNull = (o: Json, f: string) => (typeof o[f] === 'string' ? (o[f] as string) : null);
const numOrNull = (o: Json, f: string) =>
  typeof o[f] === 'number' && Number.isFinite(o[f]) ? (o[f] as number) : null;
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

function runInfo(v: unknown, at: string): LineageRunInfo {
  if (!isObject(v)) fail(`${at}.run`, 'an object for a run node', v);
  return {
    run_id: str(v, 'run_id', `${at}.run`),
    name: strOrNull(v, 'name'),
    state: strOrNull(v, 'state'),
    job_type: strOrNull(v, 'job_type'),
    created_at: numOrNull(v, 'created_at'),
  };
}

function artifactInfo(v: unknown, at: string): LineageArtifactInfo {
  if (!isObject(v)) fail(`${at}.artifact`, 'an object for an artifact node', v);
  const where = `${at}.artifact`;
  return {
    name: str(v, 'name', where),
    type: str(v, 'type', where),
    version: str(v, 'version', where),
    aliases: strings(v.aliases),
    digest: strOrNull(v, 'digest') ?? '',
    size: numOrNull(v, 'size') ?? 0,
    file_count: numOrNull(v, 'file_count') ?? 0,
    created_at: numOrNull(v, 'created_at'),
    registry_links: strings(v.registry_links),
  };
}

function node(v: unknown, index: number): LineageNode {
  const at = `nodes[${index}]`;
  if (!isObject(v)) fail(at, 'an object', v);
  const kind = v.kind;
  if (kind !== 'run' && kind !== 'artifact') fail(`${at}.kind`, "'run' or 'artifact'", kind);
  return {
    id: str(v, 'id', at),
    kind,
    label: str(v, 'label', at),
    project: str(v, 'project', at),
    run: kind === 'run' ? runInfo(v.run, at) : null,
    artifact: kind === 'artifact' ? artifactInfo(v.artifact, at) : null,
  };
}

function edge(v: unknown, index: number): LineageEdge {
  const at = `edges[${index}]`;
  if (!isObject(v)) fail(at, 'an object', v);
  const kind = v.kind;
  if (kind !== 'produced' && kind !== 'consumed') fail(`${at}.kind`, "'produced' or 'consumed'", kind);
  return { source: str(v, 'source', at), target: str(v, 'target', at), kind };
}

/**
 * Validates a lineage graph. Node ids must be unique; an edge naming a node the graph does not list (a server cut
 * at its cap may leave one) is dropped rather than refused, so the rest still draws. Unknown fields are ignored.
 */
export function parseLineageGraph(value: unknown): LineageGraph {
  if (!isObject(value)) fail('graph', 'an object', value);
  if (!Array.isArray(value.nodes)) fail('nodes', 'a list', value.nodes);
  if (!Array.isArray(value.edges)) fail('edges', 'a list', value.edges);
  const nodes = value.nodes.map(node);
  const ids = new Set<string>();
  for (const n of nodes) {
    if (ids.has(n.id))
      throw new ProtocolError(`Lineage node id ${JSON.stringify(n.id)} appears twice`, 'nodes');
    ids.add(n.id);
  }
  const edges = value.edges.map(edge).filter((e) => ids.has(e.source) && ids.has(e.target));
  const focus = strOrNull(value, 'focus');
  return {
    nodes,
    edges,
    focus: focus !== null && ids.has(focus) ? focus : null,
    truncated: value.truncated === true,
  };
}

/** Validates the lineage MIME bundle's data. */
export function parseLineageOutput(value: unknown): LineageOutputData {
  if (!isObject(value)) fail('data', 'an object', value);
  return {
    store_root: str(value, 'store_root', 'data'),
    project: str(value, 'project', 'data'),
    focus: strOrNull(value, 'focus'),
    graph: parseLineageGraph(value.graph),
  };
}
