import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ParameterInputError,
  PlaygroundState,
  parseParameter,
  resultFigures,
} from '../../src/playground/playground-state.js';
import {
  PlaygroundShapeError,
  parseProviders,
  parseRunAnswer,
  parseSaveAnswer,
} from '../../src/playground/playground-types.js';

const result = (model: string, output: string) => ({
  provider: 'custom',
  model,
  parameters: { max_tokens: 4 },
  output,
  usage: { input_tokens: 12, output_tokens: 4, total_tokens: 16 },
  cost: null,
  latency: 0.25,
  trace_id: `t-${model}`,
});

describe('PlaygroundState', () => {
  test('finds the {{variables}} of both messages once each, in order, as the server does', () => {
    const state = new PlaygroundState();
    state.system = 'You answer in {{ language }}.';
    state.user = 'Q: {{question}} ({{language}}) {{ not-a-name }} {single}';
    assert.deepEqual(state.variables(), ['language', 'question']);
    state.values = { question: 'why?', stale: 'x' };
    assert.deepEqual(state.variableValues(), { language: '', question: 'why?' });
  });

  test('says what is missing before a run and builds the run request from the columns', () => {
    const state = new PlaygroundState();
    assert.equal(state.problem(), 'Add a model to run the prompt.');
    const first = state.addColumn('custom', ' tiny ');
    state.addColumn('vllm', '', { temperature: 0.5 });
    assert.equal(state.problem(), 'Write the user message.');
    state.user = 'Hello {{name}}';
    assert.equal(state.problem(), 'Name the model of column 2.');
    const second = state.column(2);
    assert.ok(second, 'column 2 exists');
    second.model = 'other';
    assert.equal(state.problem(), null);
    first.parameters.max_tokens = 8;
    state.values.name = 'Ada';
    assert.deepEqual(state.runRequest(), {
      prompt: {
        name: 'prompt',
        messages: [{ role: 'user', content: 'Hello {{name}}' }],
        variables: { name: 'Ada' },
      },
      columns: [
        { provider: 'custom', model: 'tiny', parameters: { max_tokens: 8 } },
        { provider: 'vllm', model: 'other', parameters: { temperature: 0.5 } },
      ],
    });
    state.removeColumn(1);
    assert.deepEqual(
      state.columns.map((c) => c.id),
      [2],
    );
  });

  test('keeps the runs of the current prompt for saving and starts over when the prompt changes', () => {
    const state = new PlaygroundState();
    state.user = 'Hi {{who}}';
    state.receive([result('a', 'one'), result('b', 'two')], { who: 'x' });
    state.receive([result('a', 'three')], { who: 'y' });
    assert.deepEqual(
      state.runs.map((r) => [r.model, r.output, r.variables.who]),
      [
        ['a', 'one', 'x'],
        ['b', 'two', 'x'],
        ['a', 'three', 'y'],
      ],
    );
    state.name = 'greeting';
    state.dataset = ' greeting-runs ';
    const save = state.saveRequest();
    assert.deepEqual(save.prompt, { name: 'greeting', messages: [{ role: 'user', content: 'Hi {{who}}' }] });
    assert.equal(save.dataset, 'greeting-runs');
    assert.deepEqual(save.runs[0], {
      provider: 'custom',
      model: 'a',
      parameters: { max_tokens: 4 },
      variables: { who: 'x' },
      output: 'one',
      error: null,
      usage: { input_tokens: 12, output_tokens: 4, total_tokens: 16 },
      cost: null,
      latency: 0.25,
      trace_id: 't-a',
    });
    state.system = 'Be kind.';
    assert.equal(state.runs.length, 0, 'a changed prompt has no runs of its own yet');
    state.receive([result('c', 'four')], { who: 'z' });
    assert.deepEqual(
      state.runs.map((r) => r.model),
      ['c'],
    );
    state.system = '';
    assert.equal(state.runs.length, 0, 'the older set was dropped when the new one started');
  });
});

describe('parseParameter', () => {
  test('reads numbers in range, empty as unset, and refuses the rest naming the range', () => {
    assert.equal(parseParameter('temperature', ' 0.7 '), 0.7);
    assert.equal(parseParameter('max_tokens', ''), undefined);
    assert.throws(() => parseParameter('max_tokens', '1.5'), /max_tokens must be an integer from 1 to 32768/);
    assert.throws(() => parseParameter('temperature', '3'), ParameterInputError);
    assert.throws(() => parseParameter('top_p', 'abc'), /top_p must be a number from 0 to 1, got "abc"/);
  });
});

describe('resultFigures', () => {
  test('shows tokens in and out, latency and cost, and says when there is no price or count', () => {
    assert.deepEqual(resultFigures({ ...result('a', 'x'), cost: 0.0123 }), {
      tokens: '12 in · 4 out',
      latency: '250 ms',
      cost: '$0.0123',
    });
    assert.deepEqual(resultFigures({ provider: 'p', model: 'm', parameters: {}, output: '', latency: 2 }), {
      tokens: 'no token counts',
      latency: '2.00 s',
      cost: 'no price',
    });
  });
});

describe('the playground answers', () => {
  test('are checked before use', () => {
    assert.equal(parseProviders({ providers: [{ name: 'custom', ready: true }] })[0].name, 'custom');
    assert.throws(() => parseProviders({ providers: [{ name: 'x' }] }), PlaygroundShapeError);
    const answer = {
      results: [result('a', 'x'), { provider: 'p', model: 'm', parameters: {}, error: 'down' }],
    };
    assert.equal(parseRunAnswer(answer, 2)[1].error, 'down');
    assert.throws(() => parseRunAnswer(answer, 3), /2 results for 3 columns/);
    assert.throws(
      () => parseRunAnswer({ results: [{ provider: 'p', model: 'm' }] }, 1),
      PlaygroundShapeError,
    );
    assert.deepEqual(parseSaveAnswer({ project: 'p', prompt: 'p/x:v0', dataset: null, rows: 0 }), {
      project: 'p',
      prompt: 'p/x:v0',
      dataset: null,
      rows: 0,
    });
  });
});
