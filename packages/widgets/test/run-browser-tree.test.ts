import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type BrowserProject,
  type BrowserRun,
  browserTree,
  runBadge,
  treeRowKey,
  treeRows,
} from '../src/workspace/run-browser-tree.js';

const run = (run_id: string, extra: Partial<BrowserRun> = {}): BrowserRun => ({
  run_id,
  name: `run-${run_id}`,
  state: 'finished',
  created_at: 0,
  damaged: null,
  ...extra,
});

const PROJECTS: BrowserProject[] = [
  {
    name: 'mnist',
    runs: [
      run('a', { created_at: 1 }),
      run('b', { created_at: 3, state: 'running' }),
      run('c', { created_at: 2, name: 'baseline' }),
    ],
  },
  { name: 'cifar', runs: [run('d', { name: 'baseline-wide' }), run('e')] },
  { name: 'later', runs: null },
];

describe('run browser tree', () => {
  test('lists every project with its run count, runs newest first, open as the user left it', () => {
    const tree = browserTree(PROJECTS, '', new Set(['mnist']));
    assert.deepEqual(
      tree.map((p) => [p.name, p.total, p.expanded]),
      [
        ['mnist', 3, true],
        ['cifar', 2, false],
        ['later', null, false],
      ],
    );
    assert.deepEqual(
      tree[0].runs.map((r) => r.run_id),
      ['b', 'c', 'a'],
    );
  });

  test('search keeps a matching project whole and only the matching runs of the others, opened', () => {
    const byProject = browserTree(PROJECTS, 'MNI', new Set());
    assert.deepEqual(
      byProject.map((p) => [p.name, p.runs.length, p.expanded]),
      [['mnist', 3, false]],
    );
    const byRun = browserTree(PROJECTS, ' baseline ', new Set());
    assert.deepEqual(
      byRun.map((p) => [p.name, p.runs.map((r) => r.run_id), p.expanded, p.total]),
      [
        ['mnist', ['c'], true, 3],
        ['cifar', ['d'], true, 2],
      ],
    );
    assert.deepEqual(browserTree(PROJECTS, 'nothing-like-it', new Set()), []);
  });

  test('search matches run ids as well as names', () => {
    const projects: BrowserProject[] = [{ name: 'p', runs: [run('k3x9', { name: 'fancy' }), run('q1')] }];
    const tree = browserTree(projects, 'K3X', new Set());
    assert.deepEqual(
      tree.map((p) => p.runs.map((r) => r.run_id)),
      [['k3x9']],
    );
  });

  test('rows walk projects and the runs of open projects, in order, with stable keys', () => {
    const rows = treeRows(browserTree(PROJECTS, '', new Set(['cifar'])));
    assert.deepEqual(rows.map(treeRowKey), ['p:mnist', 'p:cifar', 'r:cifar/d', 'r:cifar/e', 'p:later']);
  });

  test('badges show the state, damaged over any recorded state, and other states as they are', () => {
    assert.deepEqual(runBadge(run('x', { state: 'crashed' })), { kind: 'crashed', text: 'crashed' });
    assert.deepEqual(runBadge(run('x', { state: 'failed' })), { kind: 'failed', text: 'failed' });
    assert.deepEqual(runBadge(run('x', { state: 'running', damaged: 'run.json: not JSON' })), {
      kind: 'damaged',
      text: 'damaged',
    });
    assert.deepEqual(runBadge(run('x', { state: 'queued' })), { kind: 'other', text: 'queued' });
    assert.deepEqual(runBadge(run('x', { state: null })), { kind: 'other', text: 'unknown' });
  });
});
