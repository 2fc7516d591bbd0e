import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildCallTree, collapsedBelow, visibleRows } from '../../src/traces/call-tree.js';
import type { TraceCall } from '../../src/traces/call-types.js';

function call(id: string, parent: string | null, started: number): TraceCall {
  return {
    id,
    trace_id: 'r',
    parent_id: parent,
    op_name: `op-${id}`,
    status: 'success',
    started_at: started,
    ended_at: started + 1,
    latency: 1,
    exception: null,
    cost: null,
    thread_name: null,
    task: null,
    session_id: 's',
    run_id: null,
    inputs_json: '{}',
    output_json: null,
    attributes_json: null,
    usage_json: null,
    inputs_truncated: false,
    output_truncated: false,
  };
}

const ids = (rows: ReturnType<typeof visibleRows>) => rows.map((r) => `${r.node.call.id}@${r.depth}`);

describe('buildCallTree', () => {
  test('nests calls under their parents in start order, whatever the row order', () => {
    const tree = buildCallTree([
      call('c2', 'r', 3),
      call('r', null, 0),
      call('g', 'c1', 2),
      call('c1', 'r', 1),
    ]);
    assert.deepEqual(
      tree.roots.map((n) => n.call.id),
      ['r'],
    );
    assert.deepEqual(ids(visibleRows(tree, new Set())), ['r@0', 'c1@1', 'g@2', 'c2@1']);
  });

  test('a call whose parent is missing (a cut tree) becomes a root of its own', () => {
    const tree = buildCallTree([call('r', null, 0), call('lost', 'gone', 5)]);
    assert.deepEqual(
      tree.roots.map((n) => n.call.id),
      ['r', 'lost'],
    );
  });

  test('collapsing hides the subtree, not the call', () => {
    const tree = buildCallTree([
      call('r', null, 0),
      call('c1', 'r', 1),
      call('g', 'c1', 2),
      call('c2', 'r', 3),
    ]);
    assert.deepEqual(ids(visibleRows(tree, new Set(['c1']))), ['r@0', 'c1@1', 'c2@1']);
    assert.deepEqual([...collapsedBelow(tree, 1)], ['c1']);
  });

  test('a 10,000-deep chain and a 10,000-wide fan build without recursion', () => {
    const chain = [call('n0', null, 0)];
    for (let i = 1; i < 10_000; i++) chain.push(call(`n${i}`, `n${i - 1}`, i));
    const rows = visibleRows(buildCallTree(chain), new Set());
    assert.equal(rows.length, 10_000);
    assert.equal(rows[9_999]?.depth, 9_999);
    const fan = [call('root', null, 0)];
    for (let i = 1; i < 10_000; i++) fan.push(call(`f${i}`, 'root', 10_000 - i));
    const fanRows = visibleRows(buildCallTree(fan), new Set());
    assert.equal(fanRows[1]?.node.call.id, 'f9999'); // the earliest start first
  });

  test('a parent cycle in hostile data neither loops nor drops the call twice', () => {
    const tree = buildCallTree([call('a', 'b', 0), call('b', 'a', 1), call('s', 's', 2)]);
    const rows = visibleRows(tree, new Set());
    assert.deepEqual(
      rows.map((r) => r.node.call.id),
      ['s'],
    );
  });
});
