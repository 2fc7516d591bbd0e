import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CallListState } from '../../src/traces/call-list-state.js';
import { CallsShapeError, parseCallsPage, parseTraceAnswer } from '../../src/traces/call-types.js';

const root = (n: number) => ({
  id: `id${n}`,
  trace_id: `t${n}`,
  op_name: 'agent',
  status: 'success',
  started_at: n,
  ended_at: n + 1,
  latency: 1,
  exception: null,
  input_tokens: null,
  output_tokens: null,
  total_tokens: null,
  cost: null,
  call_count: 1,
  session_id: 's',
  run_id: null,
});

describe('CallListState', () => {
  test('builds the query from the filters and goes back to the first page when one changes', () => {
    const state = new CallListState(10);
    state.receive({ total: 35, offset: 0, calls: [root(1)], op_names: [] });
    state.next();
    assert.deepEqual(state.query(), { offset: '10', limit: '10' });
    assert.equal(state.setFilter('status', 'error'), true);
    assert.equal(state.setFilter('status', 'error'), false);
    state.setFilter('text', '  sky ');
    assert.deepEqual(state.query(), { offset: '0', limit: '10', status: 'error', q: 'sky' });
  });

  test('pages forward and back within the total, and says which range is shown', () => {
    const state = new CallListState(2);
    state.receive({ total: 3, offset: 0, calls: [root(1), root(2)], op_names: [] });
    assert.equal(state.rangeText(), '1–2 of 3');
    assert.equal(state.hasPrevious, false);
    state.next();
    assert.equal(state.offset, 2);
    state.receive({ total: 3, offset: 2, calls: [root(3)], op_names: [] });
    assert.equal(state.hasNext, false);
    state.next();
    assert.equal(state.offset, 2);
    state.previous();
    assert.equal(state.offset, 0);
  });

  test('a page past the end after the list shrank moves to the last page', () => {
    const state = new CallListState(2);
    state.offset = 4;
    assert.equal(state.receive({ total: 3, offset: 4, calls: [], op_names: [] }), false);
    assert.equal(state.offset, 2);
  });

  test('the selection is found on the page shown', () => {
    const state = new CallListState();
    state.selectedTrace = 't2';
    state.receive({ total: 2, offset: 0, calls: [root(1), root(2)], op_names: [] });
    assert.equal(state.selectedCall()?.id, 'id2');
  });
});

describe('answer shapes', () => {
  test('a /calls answer without calls or with a call missing its ids is refused with a clear error', () => {
    assert.throws(() => parseCallsPage({ total: 1 }), CallsShapeError);
    assert.throws(() => parseCallsPage({ total: 1, calls: [{ id: 1 }] }), /without id/);
    assert.equal(parseCallsPage({ total: 1, calls: [root(1)], op_names: ['agent', 3] }).op_names.length, 1);
    assert.throws(() => parseTraceAnswer({ calls: [] }), CallsShapeError);
    assert.equal(parseTraceAnswer({ trace_id: 't', calls: [], calls_truncated: true }).calls_truncated, true);
  });
});
