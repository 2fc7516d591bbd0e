import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CallsMessage } from '@spyglass/protocol';
import { loadMessageFixtures } from '@spyglass/protocol/fixtures';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { TraceAnswer, TraceCall } from '../../src/traces/call-types.js';
import { chatMarkdownHtml } from '../../src/traces/chat-markdown.js';
import {
  callsFromIPC,
  LIVE_VALUE_LIMIT,
  type LiveCallBatch,
  LiveCalls,
} from '../../src/traces/live-calls.js';
import { LiveTraces } from '../../src/traces/live-traces.js';

const fixture = loadMessageFixtures().find((f) => f.name === 'calls');
if (!fixture) throw new Error('packages/protocol/fixtures/messages/calls.json is missing');
const message = fixture.data as CallsMessage;

function call(id: string, parent: string | null, started: number, status = 'success'): TraceCall {
  return {
    id,
    trace_id: 'r',
    parent_id: parent,
    op_name: `op-${id}`,
    status,
    started_at: started,
    ended_at: status === 'running' ? null : started + 1,
    latency: status === 'running' ? null : 1,
    exception: null,
    cost: null,
    thread_name: null,
    task: null,
    session_id: 's',
    run_id: null,
    inputs_json: null,
    output_json: null,
    attributes_json: null,
    usage_json: null,
    inputs_truncated: false,
    output_truncated: false,
  };
}

describe('live calls from the comm', () => {
  test("a calls message's frame decodes into the panel's calls, times in seconds", () => {
    const [agent, search] = callsFromIPC(fixture.buffers[0], message.session_id);
    assert.equal(agent.op_name, 'agent');
    assert.equal(agent.status, 'running');
    assert.equal(agent.ended_at, null);
    assert.equal(agent.latency, null);
    assert.equal(agent.parent_id, null);
    assert.equal(search.parent_id, agent.id);
    assert.equal(search.trace_id, agent.id);
    assert.equal(search.started_at, 1764280001.25);
    assert.equal(search.latency, 0.25);
    assert.equal(search.output_json, '["blue"]');
    assert.equal(search.usage_json, '{"input_tokens":12,"output_tokens":3}');
    assert.equal(search.cost, 0.0004);
    assert.equal(search.session_id, message.session_id);
  });

  test('LiveCalls emits one batch per message and leaves out a frame that is not what it claims', () => {
    const live = new LiveCalls();
    const batches: LiveCallBatch[] = [];
    live.received.connect((_, batch) => batches.push(batch));
    live.offer(message, fixture.buffers);
    assert.equal(batches.length, 1);
    assert.equal(batches[0].project, message.project);
    assert.equal(batches[0].storeRoot, message.store_root);
    assert.deepEqual(
      batches[0].calls.map((c) => c.op_name),
      ['agent', 'search'],
    );
    const damaged = fixture.buffers[0].slice(0, fixture.buffers[0].byteLength - 40);
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      live.offer({ ...message, frames: [{ total_bytes: damaged.byteLength }] }, [damaged]);
    } finally {
      console.warn = warn;
    }
    assert.equal(batches.length, 2);
    assert.deepEqual(batches[1].calls, []);
    assert.equal(batches[1].unsentFrames, 1, 'the panel reads the store for what it could not decode');
  });
});

describe('LiveTraces', () => {
  test('the open trace is the store answer with live rows merged; an end row is never undone by a running row', () => {
    const live = new LiveTraces();
    const stored: TraceAnswer = {
      trace_id: 'r',
      calls_truncated: false,
      calls: [call('a', null, 1, 'running')],
    };
    const first = live.add([call('b', 'a', 2), call('a', null, 1, 'running')]);
    assert.deepEqual([...first.traces], ['r']);
    assert.equal(first.newestRoot?.id, 'a');
    live.add([call('a', null, 1, 'success'), call('c', 'a', 3, 'running')]);
    live.add([call('a', null, 1, 'running')]); // a late duplicate of the start
    const merged = live.merged('r', stored);
    assert.deepEqual(
      merged?.calls.map((c) => [c.id, c.status]),
      [
        ['a', 'success'],
        ['b', 'success'],
        ['c', 'running'],
      ],
    );
    assert.equal(live.merged('other', null), null);
    assert.equal(live.merged('other', stored), stored);
  });
});

describe('chat markdown', () => {
  test('markdown formats; raw HTML, images and script links come out as text', () => {
    const html = chatMarkdownHtml(
      '**bold** <img src=x onerror="window.__xss=1"> ![pic](data:image/png;base64,AAAA) ' +
        '[click](javascript:window.__xss=1) [site](https://example.org)\n\n<script>window.__xss=1</script>',
    );
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;/);
    assert.match(html, /&lt;script&gt;window.__xss=1&lt;\/script&gt;/);
    assert.match(html, /\[image: pic data:image\/png;base64,AAAA\]/);
    assert.match(html, /click \(javascript:window.__xss=1\)/);
    assert.match(html, /<a href="https:\/\/example.org">site<\/a>/);
    assert.doesNotMatch(html, /<img|<script|href="javascript/i);
  });
});

describe('live values over the view limit', () => {
  test('a 10 MB output is cut in the view, flagged with its stored size', () => {
    const output = JSON.stringify('x'.repeat(10_000_000));
    const table = tableFromArrays({
      id: ['c1'],
      trace_id: ['c1'],
      op_name: ['generate'],
      status: ['success'],
      started_at: new Float64Array([1_000]),
      ended_at: new Float64Array([3_000]),
      inputs: ['{"n":1}'],
      output: [output],
    });
    const [cut] = callsFromIPC(tableToIPC(table, 'stream'), 's');
    assert.equal(cut.output_truncated, true);
    assert.equal(cut.output_size, output.length);
    assert.ok((cut.output_json?.length ?? 0) <= LIVE_VALUE_LIMIT);
    assert.equal(cut.inputs_truncated, false);
    assert.equal(cut.inputs_json, '{"n":1}');
    assert.equal(cut.latency, 2);
  });
});
