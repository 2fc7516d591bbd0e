import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnknownNodeError } from '../src/errors.js';
import { LineageIndex } from '../src/LineageIndex.js';
import { extractNeighbourhood } from '../src/neighbourhood.js';
import { artifact, goldenGraph, graph, link, run } from './support/graphs.js';

// data → r1 → m1 → r2 → m2 → r3 → m3: a chain of seven.
function chain() {
  const nodes = [
    artifact('data', 0, 'dataset'),
    run('r1', 1),
    artifact('m1', 2),
    run('r2', 3),
    artifact('m2', 4),
    run('r3', 5),
    artifact('m3', 6),
  ];
  return {
    nodes,
    graph: graph(
      nodes,
      nodes.slice(1).map((n, i) => link(nodes[i], n)),
    ),
  };
}

test('depth counts hops either way from the focus', () => {
  const { nodes, graph: g } = chain();
  const view = extractNeighbourhood(new LineageIndex(g), { focus: nodes[3].id, depth: 2 });
  assert.deepEqual(
    view.nodes.map((n) => n.id),
    nodes.slice(1, 6).map((n) => n.id),
  );
  assert.equal(view.edges.length, 4);
  assert.equal(view.focus, nodes[3].id);
});

test('nodes at the edge of the neighbourhood say how many neighbours are left out', () => {
  const { nodes, graph: g } = chain();
  const view = extractNeighbourhood(new LineageIndex(g), { focus: nodes[3].id, depth: 1 });
  const hidden = Object.fromEntries(view.nodes.map((n) => [n.id, n.hiddenNeighbours]));
  assert.deepEqual(hidden, { [nodes[2].id]: 1, [nodes[3].id]: 0, [nodes[4].id]: 1 });
});

test('the golden graph around the production model, two hops, reaches the dataset', () => {
  const view = extractNeighbourhood(new LineageIndex(goldenGraph()), {
    focus: 'artifact:lineage-demo/classifier:v1',
    depth: 2,
  });
  assert.deepEqual(view.nodes.map((n) => n.id).sort(), [
    'artifact:lineage-demo/classifier:v1',
    'artifact:lineage-demo/mnist-sample:v0',
    'run:lineage-demo/r4d5e6f7',
  ]);
  const all = extractNeighbourhood(new LineageIndex(goldenGraph()), {});
  assert.equal(all.nodes.length, 5);
  assert.equal(all.edges.length, 4);
});

test('edges between drawn nodes are all kept, even ones the walk did not take', () => {
  const d = artifact('d', 0, 'dataset');
  const r = run('r', 1);
  const m = artifact('m', 2);
  const s = run('s', 3);
  const g = graph([d, r, m, s], [link(d, r), link(r, m), link(m, s), link(d, s)]);
  const view = extractNeighbourhood(new LineageIndex(g), { focus: r.id, depth: 2 });
  assert.equal(view.nodes.length, 4);
  assert.equal(view.edges.length, 4, 's is reached once, but both of its edges are drawn');
});

test('an unknown focus is refused', () => {
  assert.throws(
    () => extractNeighbourhood(new LineageIndex(goldenGraph()), { focus: 'run:x/y' }),
    UnknownNodeError,
  );
});

test('exploring a node at the edge walks `depth` hops on from it', () => {
  const { nodes, graph: g } = chain();
  const index = new LineageIndex(g);
  const view = extractNeighbourhood(index, { focus: nodes[0].id, depth: 1, explored: [nodes[1].id] });
  assert.deepEqual(
    view.nodes.map((n) => n.id),
    nodes.slice(0, 3).map((n) => n.id),
  );
  const further = extractNeighbourhood(index, { focus: nodes[0].id, depth: 2, explored: [nodes[2].id] });
  assert.equal(further.nodes.length, 5);
});

test('the walk stops at maxNodes and says the view is truncated', () => {
  const { nodes, graph: g } = chain();
  const view = extractNeighbourhood(new LineageIndex(g), { maxNodes: 3 });
  assert.equal(view.nodes.length, 3);
  assert.equal(view.truncated, true);
  assert.equal(view.nodes.at(-1)?.hiddenNeighbours, 1, 'the last drawn node can be explored');
  assert.equal(extractNeighbourhood(new LineageIndex(g)).truncated, false);
  assert.equal(nodes.length, 7);
});
