import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineageCycleError, UnknownNodeError } from '../src/errors.js';
import { LineageIndex } from '../src/LineageIndex.js';
import { artifact, goldenGraph, graph, link, run } from './support/graphs.js';

test('the golden graph indexes both directions', () => {
  const index = new LineageIndex(goldenGraph());
  assert.equal(index.nodes.size, 5);
  assert.equal(index.outgoing.get('artifact:lineage-demo/mnist-sample:v0')?.length, 2);
  assert.equal(index.incoming.get('artifact:lineage-demo/classifier:v1')?.length, 1);
  assert.equal(index.degree('run:lineage-demo/r0a1b2c3'), 2);
});

test('a cycle is refused with a clear error naming it', () => {
  const a = artifact('a');
  const r = run('r');
  const b = artifact('b');
  const s = run('s');
  assert.throws(
    () => new LineageIndex(graph([a, r, b, s], [link(a, r), link(r, b), link(b, s), link(s, a)])),
    (e: unknown) =>
      e instanceof LineageCycleError &&
      e.cycle.length === 5 &&
      e.cycle[0] === e.cycle[4] &&
      /cycle/.test(e.message) &&
      e.message.includes('run:p/r'),
  );
});

test('a self-loop is a cycle too', () => {
  const r = run('r');
  assert.throws(
    () => new LineageIndex(graph([r], [{ source: r.id, target: r.id, kind: 'produced' }])),
    LineageCycleError,
  );
});

test('a long chain is checked without overflowing the stack', () => {
  const nodes = Array.from({ length: 50_000 }, (_, i) => (i % 2 ? run(`r${i}`, i) : artifact(`a${i}`, i)));
  const edges = nodes.slice(1).map((n, i) => link(nodes[i], n));
  assert.equal(new LineageIndex(graph(nodes, edges)).nodes.size, 50_000);
});

test('an edge to an unknown node is refused', () => {
  const r = run('r');
  assert.throws(
    () => new LineageIndex(graph([r], [{ source: r.id, target: 'artifact:p/x:v0', kind: 'produced' }])),
    UnknownNodeError,
  );
});
