import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ProtocolError } from '../src/errors.js';
import { fixturePath } from '../src/fixtures.js';
import { parseLineageGraph, parseLineageOutput } from '../src/lineage-graph.js';
import { LINEAGE_MIME_TYPE } from '../src/version.js';

const golden = JSON.parse(readFileSync(fixturePath('lineage', 'graph.json'), 'utf8'));

test('the golden lineage graph parses: a dataset, two training runs, two models, one registered', () => {
  const graph = parseLineageGraph(golden);
  assert.equal(graph.nodes.length, 5);
  assert.deepEqual(graph.nodes.map((n) => n.kind).sort(), ['artifact', 'artifact', 'artifact', 'run', 'run']);
  assert.equal(graph.edges.length, 4);
  assert.deepEqual(new Set(graph.edges.map((e) => e.kind)), new Set(['consumed', 'produced']));
  const registered = graph.nodes.find((n) => n.artifact?.registry_links.length);
  assert.ok(registered?.artifact?.aliases.includes('production'));
  assert.equal(graph.focus, registered?.id);
  assert.equal(graph.truncated, false);
  for (const e of graph.edges) {
    const kinds = [e.source, e.target].map((id) => graph.nodes.find((n) => n.id === id)?.kind);
    assert.deepEqual(kinds, e.kind === 'produced' ? ['run', 'artifact'] : ['artifact', 'run']);
  }
});

test('the golden graph keeps every field of the contract', () => {
  const graph = parseLineageGraph(golden);
  assert.deepEqual(
    graph.nodes.map((n) => n),
    golden.nodes,
    'parsing a complete graph changes nothing',
  );
});

test('a lineage bundle carries store root, project and focus around the graph', () => {
  const out = parseLineageOutput({ store_root: '/s', project: 'p', focus: null, graph: golden });
  assert.equal(out.project, 'p');
  assert.equal(out.graph.nodes.length, 5);
  assert.equal(LINEAGE_MIME_TYPE, 'application/vnd.spyglass.lineage.v1+json');
});

test('malformed graphs are refused with the field that was wrong', () => {
  const bad = (value: unknown, field: string) =>
    assert.throws(
      () => parseLineageGraph(value),
      (e: unknown) => e instanceof ProtocolError && e.field === field,
    );
  bad(null, 'graph');
  bad({ nodes: {}, edges: [] }, 'nodes');
  bad({ nodes: [{ id: 'x', kind: 'model', label: 'x', project: 'p' }], edges: [] }, 'nodes[0].kind');
  bad({ nodes: [{ id: 'x', kind: 'run', label: 'x', project: 'p', run: null }], edges: [] }, 'nodes[0].run');
  bad({ nodes: [golden.nodes[0], golden.nodes[0]], edges: [] }, 'nodes');
  bad({ nodes: [], edges: [{ source: 'a', target: 'b', kind: 'made' }] }, 'edges[0].kind');
});

test('edges to nodes the graph does not list are dropped, and a missing focus becomes null', () => {
  const graph = parseLineageGraph({
    nodes: [golden.nodes[0]],
    edges: [{ source: golden.nodes[0].id, target: 'run:p/gone', kind: 'consumed' }],
    focus: 'run:p/gone',
    truncated: true,
  });
  assert.deepEqual(graph.edges, []);
  assert.equal(graph.focus, null);
  assert.equal(graph.truncated, true);
});
