import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as vega from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile } from 'vega-lite';
import { aggregateBarsSpec, BARS_DATASET } from '../../src/evals/aggregate-bars-spec.js';
import {
  amountRows,
  barRows,
  EvalCompareState,
  evaluationNames,
  scoreDelta,
} from '../../src/evals/eval-compare-state.js';
import { formatDelta, formatScore, inputsText, scoresText } from '../../src/evals/eval-format.js';
import {
  type ComparedExample,
  type Comparison,
  EvalsShapeError,
  parseComparison,
  parseEvalsOutput,
  parseEvaluationList,
} from '../../src/evals/eval-types.js';

const XSS = '<img src=x onerror="window.__xss=1">';

function result(scores: Record<string, unknown>, status = 'success', output: unknown = 'ok') {
  return {
    example: 0,
    output,
    output_truncated: false,
    output_length: typeof output === 'string' ? output.length : null,
    scores,
    latency: 0.5,
    cost: 0.001,
    tokens: 12,
    status,
    error: status === 'error' ? `predict: ValueError: ${XSS}` : null,
    call_id: 'c',
  };
}

function evaluation(runId: string, label: string, mean: number, failed = 0) {
  return {
    run_id: runId,
    run_name: runId,
    state: 'finished',
    created_at: 1,
    label,
    evaluation: 'qa',
    dataset: 'p/qa:v0',
    model: { name: label, version: 'v' },
    examples: 3,
    failed,
    aggregates: {
      scores: { exact_match: { count: 3, mean, true_count: 1 }, judge: { count: 0 } },
      latency: { count: 3, mean: 0.5, p50: 0.5, p95: 0.9, max: 1 },
      cost: { count: 3, total: 0.003, mean: 0.001 },
      tokens: { count: 0 },
      examples: 3,
      failed,
    },
  };
}

function example(key: string, outcome: string, results: unknown[]): unknown {
  return {
    key,
    example: Number(key[1]),
    digest: key,
    inputs: { question: XSS },
    outcome,
    delta: -1,
    results,
  };
}

function comparison(): Comparison {
  return parseComparison({
    project: 'p',
    evaluations: [evaluation('r1', 'qa · A', 1), evaluation('r2', 'qa · A', 1 / 3, 1)],
    scores: ['exact_match', 'judge'],
    counts: { regression: 2, mixed: 0, improvement: 0, same: 1, missing: 0 },
    total_examples: 3,
    examples: [
      example('e1', 'regression', [
        result({ exact_match: true }),
        result({ exact_match: null }, 'error', null),
      ]),
      example('e2', 'regression', [
        result({ exact_match: true }),
        result({ exact_match: false }, 'success', XSS),
      ]),
      example('e0', 'same', [result({ exact_match: true }), result({ exact_match: true })]),
    ],
    examples_truncated: false,
  });
}

test('answers of another shape are refused with a typed error naming what is wrong', () => {
  assert.throws(() => parseComparison([]), EvalsShapeError);
  assert.throws(
    () => parseComparison({ evaluations: [{ run_id: 'x', label: 'y' }], scores: [], examples: [] }),
    {
      message: /without aggregates/,
    },
  );
  const good = comparison() as unknown as Record<string, unknown>;
  const short = { ...good, examples: [{ key: 'k', outcome: 'regression', results: [null] }] };
  assert.throws(() => parseComparison(short), { message: /one result per evaluation/ });
  assert.throws(
    () => parseComparison({ ...good, examples: [{ key: 'k', outcome: 'worse', results: [null, null] }] }),
    EvalsShapeError,
  );
  assert.deepEqual(
    parseEvaluationList({ evaluations: [{ run_id: 'r', label: 'l' }] }).map((e) => e.run_id),
    ['r'],
  );
  assert.throws(() => parseEvaluationList({ evaluations: [{ run_id: 3 }] }), EvalsShapeError);
});

test('two evaluations with one label are told apart by their run id', () => {
  const c = comparison();
  assert.deepEqual(evaluationNames(c.evaluations), ['qa · A (r1)', 'qa · A (r2)']);
});

test('bars: one per evaluation and score with a mean; scores without one are left out', () => {
  const rows = barRows(comparison());
  assert.deepEqual(
    rows.map((r) => [r.evaluation, r.score, r.mean]),
    [
      ['qa · A (r1)', 'exact_match', 1],
      ['qa · A (r2)', 'exact_match', 1 / 3],
    ],
  );
});

test('amounts: failures, latency and cost per evaluation; tokens none when none were counted', () => {
  const [a, b] = amountRows(comparison());
  assert.equal(a.latencyP95, 0.9);
  assert.equal(a.costTotal, 0.003);
  assert.equal(a.tokensTotal, null);
  assert.equal(b.failed, 1);
});

test('the filter keeps the server order (regressions first) and the selection survives a reload', () => {
  const c = comparison();
  const state = new EvalCompareState();
  assert.deepEqual(
    state.visible(c).map((e) => e.key),
    ['e1', 'e2', 'e0'],
  );
  assert.equal(state.setFilter('regression'), true);
  assert.equal(state.setFilter('regression'), false);
  assert.deepEqual(
    state.visible(c).map((e) => e.key),
    ['e1', 'e2'],
  );
  state.setFilter('changed');
  assert.deepEqual(
    state.visible(c).map((e) => e.key),
    ['e1', 'e2'],
  );
  state.setFilter('same');
  assert.deepEqual(
    state.visible(c).map((e) => e.key),
    ['e0'],
  );
  state.selectedKey = 'e2';
  assert.equal(state.selected(c)?.key, 'e2');
  state.selectedKey = 'gone';
  assert.equal(state.selected(c), null);
});

test('score changes against the baseline: booleans as 0/1, failures and missing values not compared', () => {
  const [failed, wrong] = comparison().examples as ComparedExample[];
  assert.equal(scoreDelta(wrong, 1, 'exact_match'), -1);
  assert.equal(scoreDelta(failed, 1, 'exact_match'), null);
  assert.equal(scoresText(wrong, 1, ['exact_match']), 'exact_match ✗ (−1)');
  assert.equal(scoresText(failed, 1, ['exact_match']), 'failed · exact_match —');
  assert.equal(scoresText(wrong, 0, ['exact_match']), 'exact_match ✓');
  assert.equal(formatDelta(0.25), '+0.25');
  assert.equal(formatDelta(0), '');
  assert.equal(formatScore(0.123456), '0.1235');
  assert.equal(inputsText({ question: 'x'.repeat(300) }).length, 71);
  assert.equal(inputsText({ a: 'x'.repeat(300), b: 'y'.repeat(300) }).length, 121);
});

test('the bar chart renders: one bar per evaluation and score, themed colours, no data from elsewhere', async () => {
  const c = comparison();
  const names = evaluationNames(c.evaluations);
  const spec = aggregateBarsSpec(barRows(c), names, { text: '#d0d0d0', line: '#505050' });
  assert.equal((spec as { data: { name: string } }).data.name, BARS_DATASET);
  const runtime = vega.parse(compile(spec).spec, undefined, { ast: true });
  const view = new vega.View(runtime, { expr: expressionInterpreter, renderer: 'none' } as never);
  await view.runAsync();
  const svg = await view.toSVG();
  view.finalize();
  assert.equal((svg.match(/role-mark[^"]*"[^>]*>/g) ?? []).length > 0, true);
  assert.equal((svg.match(/<path [^>]*aria-roledescription="bar"/g) ?? []).length, 2);
  assert.match(svg, /fill="#d0d0d0"/);
  assert.doesNotMatch(svg, /url\(|href=|<image/);
});

test('a saved output names a project, a store and its evaluations, or is refused', () => {
  const data = { project: 'p', store_root: '/s', run_ids: ['a', 'b'] };
  assert.deepEqual(parseEvalsOutput(data), data);
  assert.equal(parseEvalsOutput({ ...data, run_ids: ['a', 3] }), null);
  assert.equal(parseEvalsOutput({ ...data, project: '' }), null);
  assert.equal(parseEvalsOutput('p'), null);
});
