import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import {
  feedbackByCall,
  feedbackOf,
  parseSummary,
  summarize,
  summaryText,
} from '../../src/traces/call-feedback.js';
import { CallListState, localTimeToEpoch } from '../../src/traces/call-list-state.js';
import { cellText, parseSqlAnswer, sqlSummary } from '../../src/traces/call-sql.js';
import { parseTraceAnswer } from '../../src/traces/call-types.js';
import { traceAnswerFromArrow } from '../../src/traces/trace-arrow.js';

const entry = (kind: string, value: string, id = `${kind}-${value}`) => ({
  id,
  call_id: 'c1',
  kind,
  value,
  creator: null,
  source: 'ui',
  created_at: '2026-12-07T23:00:00+00:00',
});

describe('feedback', () => {
  test('a call’s entries are read from the answer, malformed ones left out', () => {
    const raw = {
      feedback: { c1: [entry('thumbs', 'up'), { kind: 'thumbs' }, entry('stars', '5')], c2: [] },
    };
    assert.deepEqual(
      feedbackOf(raw, 'c1').map((e) => e.value),
      ['up'],
    );
    assert.deepEqual(feedbackOf(raw, 'nope'), []);
    assert.deepEqual(feedbackOf(null, 'c1'), []);
    assert.deepEqual([...feedbackByCall(raw).keys()], ['c1']);
  });

  test('summaries count thumbs and notes, keep each label once, and read as one short text', () => {
    const summary = summarize([
      entry('thumbs', 'up'),
      entry('thumbs', 'up', 'x'),
      entry('thumbs', 'down'),
      entry('note', '<b>bold</b>'),
      entry('label', 'wrong'),
      entry('label', 'wrong', 'y'),
      entry('label', 'slow'),
    ] as never);
    assert.deepEqual(summary, { up: 2, down: 1, notes: 1, labels: ['wrong', 'slow'] });
    assert.equal(summaryText(summary), '👍 2 👎 1 ✎ 1 wrong, slow');
    assert.equal(summaryText(null), '');
    assert.deepEqual(parseSummary({ up: 'x', labels: ['a', 3] }), {
      up: 0,
      down: 0,
      notes: 0,
      labels: ['a'],
    });
    assert.equal(parseSummary(undefined), null);
  });
});

describe('list filters', () => {
  test('the extra filters go into the query, times as epoch seconds', () => {
    const state = new CallListState(10);
    state.setFilter('feedback', 'down');
    state.setFilter('label', ' wrong ');
    state.setFilter('attribute', 'env=prod');
    state.setFilter('since', '2026-12-07T10:00');
    state.setFilter('until', 'not a time');
    const query = state.query();
    assert.equal(query.feedback, 'down');
    assert.equal(query.label, 'wrong');
    assert.equal(query.attribute, 'env=prod');
    assert.equal(query.since, String(new Date(2026, 11, 7, 10, 0).getTime() / 1000));
    assert.equal(query.until, undefined);
    assert.equal(localTimeToEpoch(''), '');
  });
});

describe('SQL answers', () => {
  test('cells become text, the summary says when rows were cut', () => {
    const answer = parseSqlAnswer({
      columns: [{ name: 'op_name', type: 'string' }, { name: 'n' }],
      rows: [['<img src=x onerror=alert(1)>', 3], 'not a row', [null, { a: 1 }]],
      truncated: true,
      elapsed_ms: 12.4,
    });
    assert.equal(answer.rows.length, 2);
    assert.equal(cellText(answer.rows[0]?.[0]), '<img src=x onerror=alert(1)>');
    assert.equal(cellText(null), '');
    assert.equal(cellText({ a: 1 }), '{"a":1}');
    assert.equal(sqlSummary(answer), '2 rows in 12 ms; the first 2 shown');
    assert.throws(() => parseSqlAnswer({ error: 'x' }), /without \{columns, rows\}/);
  });
});

describe('trace answers as Arrow', () => {
  test('an Arrow IPC answer reads as the JSON answer’s shape', () => {
    const table = tableFromArrays({
      id: ['a', 'b'],
      trace_id: ['a', 'a'],
      parent_id: [null, 'a'],
      op_name: ['agent', 'llm'],
      status: ['success', 'error'],
      started_at: new Float64Array([1, 2]),
      inputs_json: ['{"q": 1}', '{}'],
      inputs_truncated: [false, true],
    });
    table.schema.metadata.set(
      'spyglass',
      JSON.stringify({ trace_id: 'a', calls_truncated: false, feedback: { b: [entry('label', 'x')] } }),
    );
    const raw = traceAnswerFromArrow(tableToIPC(table, 'stream'));
    const answer = parseTraceAnswer(raw);
    assert.equal(answer.trace_id, 'a');
    assert.deepEqual(
      answer.calls.map((c) => [
        c.id,
        c.parent_id,
        c.op_name,
        c.started_at,
        c.inputs_json,
        c.inputs_truncated,
      ]),
      [
        ['a', null, 'agent', 1, '{"q": 1}', false],
        ['b', 'a', 'llm', 2, '{}', true],
      ],
    );
    assert.deepEqual([...feedbackByCall(raw).keys()], ['b']);
  });
});
