import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  definitionFor,
  planSections,
  SYSTEM_SECTION,
  sectionsFromMetrics,
  UNGROUPED_SECTION,
  visibleMetrics,
} from '../src/metric-sections.js';

test('metrics are grouped by their first "/" prefix, ungrouped ones first, sections alphabetical', () => {
  const sections = sectionsFromMetrics(['val/loss', 'loss', 'train/loss', 'train/acc', 'lr', 'a/b/c']);
  assert.deepEqual(sections, [
    { name: UNGROUPED_SECTION, metrics: ['loss', 'lr'] },
    { name: 'a', metrics: ['a/b/c'] },
    { name: 'train', metrics: ['train/loss', 'train/acc'] },
    { name: 'val', metrics: ['val/loss'] },
  ]);
});

test('a leading or trailing slash is not a section prefix', () => {
  assert.deepEqual(sectionsFromMetrics(['/x', 'y/']), [{ name: UNGROUPED_SECTION, metrics: ['/x', 'y/'] }]);
  assert.deepEqual(sectionsFromMetrics([]), []);
});

test('a define_metric entry applies by exact name first, then by the longest matching prefix glob', () => {
  const defs = { 'train/*': 'glob', 'train/loss*': 'longer', 'train/acc': 'exact', '*': 'all' };
  assert.equal(definitionFor(defs, 'train/acc'), 'exact');
  assert.equal(definitionFor(defs, 'train/loss_ema'), 'longer');
  assert.equal(definitionFor(defs, 'train/f1'), 'glob');
  assert.equal(definitionFor(defs, 'val/f1'), 'all');
  assert.equal(definitionFor({ 'a*b': 'no' }, 'axb'), undefined, "only a trailing '*' is a wildcard");
});

test('hidden metrics, by name or glob, are not charted', () => {
  const defs = { 'debug/*': { hidden: true }, 'debug/keep': { hidden: false }, secret: { hidden: true } };
  assert.deepEqual(visibleMetrics(['loss', 'secret', 'debug/x', 'debug/keep'], defs), ['loss', 'debug/keep']);
});

test('a panel plan charts metrics against their logged step metric and puts system metrics last', () => {
  const plan = planSections(['train/loss', 'epoch', 'val/acc', 'secret'], ['system/cpu.percent'], {
    'train/*': { hidden: false, step_metric: 'epoch' },
    'val/*': { hidden: false, step_metric: 'val/step' },
    secret: { hidden: true, step_metric: null },
  });
  assert.deepEqual(plan, [
    { name: UNGROUPED_SECTION, charts: [{ metric: 'epoch', stream: 'history', stepMetric: null }] },
    { name: 'train', charts: [{ metric: 'train/loss', stream: 'history', stepMetric: 'epoch' }] },
    { name: 'val', charts: [{ metric: 'val/acc', stream: 'history', stepMetric: null }] },
    { name: SYSTEM_SECTION, charts: [{ metric: 'system/cpu.percent', stream: 'system', stepMetric: null }] },
  ]);
});
