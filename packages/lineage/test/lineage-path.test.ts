import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edgeKey, lineagePath } from '../src/lineage-path.js';

// A diamond with a tail on each side:  s → a → {b, c} → d → t, and a shortcut a → d.
const edges = [
  { source: 's', target: 'a' },
  { source: 'a', target: 'b' },
  { source: 'a', target: 'c' },
  { source: 'b', target: 'd' },
  { source: 'c', target: 'd' },
  { source: 'd', target: 't' },
  { source: 'a', target: 'd' },
];
const keys = (...pairs: string[]) => new Set(pairs.map((p) => edgeKey({ source: p[0], target: p[1] })));

test('selecting one side of a diamond highlights its ancestors, descendants and only the edges through it', () => {
  const path = lineagePath(edges, 'b');
  assert.deepEqual(path.nodes, new Set(['s', 'a', 'b', 'd', 't']));
  assert.deepEqual(path.edges, keys('sa', 'ab', 'bd', 'dt'));
});

test('selecting the bottom of a diamond highlights both sides', () => {
  const path = lineagePath(edges, 'd');
  assert.deepEqual(path.nodes, new Set(['s', 'a', 'b', 'c', 'd', 't']));
  assert.deepEqual(path.edges, keys('sa', 'ab', 'ac', 'bd', 'cd', 'ad', 'dt'));
});

test('a source node highlights everything downstream', () => {
  assert.equal(lineagePath(edges, 's').nodes.size, 6);
  assert.deepEqual(lineagePath(edges, 't').edges.size, 7);
});

test('a node without edges is its own path', () => {
  const path = lineagePath(edges, 'lonely');
  assert.deepEqual(path.nodes, new Set(['lonely']));
  assert.equal(path.edges.size, 0);
});
