import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupId, splitSiblings } from '../src/collapse.js';
import { LineageIndex } from '../src/LineageIndex.js';
import { extractNeighbourhood } from '../src/neighbourhood.js';
import { fanOut, run } from './support/graphs.js';

const runs = (n: number) => Array.from({ length: n }, (_, i) => run(`r${i}`, i));
const none = () => false;

test('a level of exactly `threshold` siblings is drawn whole', () => {
  const { shown, hidden } = splitSiblings(runs(8), 8, none);
  assert.equal(shown.length, 8);
  assert.equal(hidden.length, 0);
});

test('one sibling over the threshold folds two, keeping the level at `threshold` slots', () => {
  const { shown, hidden } = splitSiblings(runs(9), 8, none);
  assert.equal(shown.length, 7);
  assert.deepEqual(
    hidden.map((n) => n.run?.run_id),
    ['r0', 'r1'],
    'the oldest are folded, the newest drawn',
  );
});

test('siblings that must stay are drawn even when old', () => {
  const { shown, hidden } = splitSiblings(runs(20), 4, (id) => id === 'run:p/r0');
  assert.deepEqual(
    shown.map((n) => n.run?.run_id),
    ['r0', 'r18', 'r19'],
  );
  assert.equal(hidden.length, 17);
});

test('a dataset used by 30 runs shows 7 of them and one "+23 more" node that expands on request', () => {
  const { graph, dataset } = fanOut(30);
  const index = new LineageIndex(graph);
  const view = extractNeighbourhood(index, { focus: dataset.id, depth: 2, threshold: 8 });
  const group = view.nodes.find((n) => n.kind === 'group');
  assert.equal(group?.id, groupId(dataset.id, 'out', 'run'));
  assert.equal(group?.group?.members.length, 23);
  assert.equal(view.nodes.filter((n) => n.kind === 'run').length, 7);
  assert.equal(view.nodes.filter((n) => n.kind === 'artifact').length, 1 + 7, 'the dataset and 7 models');
  assert.ok(
    view.edges.some((e) => e.source === dataset.id && e.target === group?.id && e.kind === 'consumed'),
  );

  const expanded = extractNeighbourhood(index, {
    focus: dataset.id,
    depth: 2,
    threshold: 8,
    expanded: new Set([group?.id ?? '']),
  });
  assert.equal(expanded.nodes.filter((n) => n.kind === 'group').length, 0);
  assert.equal(expanded.nodes.length, 61);
});

test('without a focus the whole graph is drawn, wide levels still collapsed', () => {
  const { graph } = fanOut(100);
  const view = extractNeighbourhood(new LineageIndex(graph), { threshold: 5 });
  assert.equal(view.nodes.length, 1 + 4 + 4 + 1, 'the dataset, 4 runs, their 4 models and "+96 more"');
  const models = view.nodes.filter((n) => n.node?.artifact?.type === 'model');
  assert.ok(
    models.every((n) => n.createdAt >= 116),
    'the newest runs and their models are drawn',
  );
});

test('a threshold of Infinity never collapses', () => {
  const { graph } = fanOut(40);
  const view = extractNeighbourhood(new LineageIndex(graph), { threshold: Number.POSITIVE_INFINITY });
  assert.equal(view.nodes.length, 81);
  assert.equal(view.edges.length, 80);
});
