import { readFileSync } from 'node:fs';
import type { LineageEdge, LineageGraph, LineageNode } from '@spyglass/protocol';
import { fixturePath } from '@spyglass/protocol/fixtures';

/** The golden graph shared with the Python tests. */
export function goldenGraph(): LineageGraph {
  return JSON.parse(readFileSync(fixturePath('lineage', 'graph.json'), 'utf8')) as LineageGraph;
}

export function run(id: string, t = 0): LineageNode {
  return {
    id: `run:p/${id}`,
    kind: 'run',
    label: id,
    project: 'p',
    run: { run_id: id, name: id, state: 'finished', job_type: 'train', created_at: t },
    artifact: null,
  };
}

export function artifact(name: string, t = 0, type = 'model', version = 'v0'): LineageNode {
  return {
    id: `artifact:p/${name}:${version}`,
    kind: 'artifact',
    label: `${name}:${version}`,
    project: 'p',
    run: null,
    artifact: {
      name,
      type,
      version,
      aliases: [],
      digest: 'sha256:00',
      size: 1,
      file_count: 1,
      created_at: t,
      registry_links: [],
    },
  };
}

/** An edge in the direction lineage allows: run → artifact is produced, artifact → run consumed. */
export function link(source: LineageNode, target: LineageNode): LineageEdge {
  return { source: source.id, target: target.id, kind: source.kind === 'run' ? 'produced' : 'consumed' };
}

export function graph(nodes: LineageNode[], edges: LineageEdge[], focus: string | null = null): LineageGraph {
  return { nodes, edges, focus, truncated: false };
}

/** A dataset consumed by `runs` training runs, each producing one model. */
export function fanOut(runs: number): { graph: LineageGraph; dataset: LineageNode; runs: LineageNode[] } {
  const dataset = artifact('data', 0, 'dataset');
  const nodes: LineageNode[] = [dataset];
  const edges: LineageEdge[] = [];
  const trainers: LineageNode[] = [];
  for (let i = 0; i < runs; i++) {
    const r = run(`r${i}`, 10 + i);
    const m = artifact('model', 20 + i, 'model', `v${i}`);
    trainers.push(r);
    nodes.push(r, m);
    edges.push(link(dataset, r), link(r, m));
  }
  return { graph: graph(nodes, edges), dataset, runs: trainers };
}

/** A pipeline of `runs` runs, each consuming the previous run's artifact and producing the next one. */
export function chain(runs: number): LineageGraph {
  const nodes: LineageNode[] = [];
  const edges: LineageEdge[] = [];
  let previous: LineageNode | null = null;
  for (let i = 0; i < runs; i++) {
    const r = run(`stage-${i}`, 2 * i);
    const out = artifact(`output-${i}`, 2 * i + 1, 'dataset');
    if (previous) edges.push(link(previous, r));
    edges.push(link(r, out));
    nodes.push(r, out);
    previous = out;
  }
  return graph(nodes, edges);
}
