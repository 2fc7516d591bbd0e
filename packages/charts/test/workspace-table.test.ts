import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareCells, runColumns, type TableRun } from '../src/workspace/run-columns.js';
import {
  EMPTY_TABLE_STATE,
  movedColumn,
  type TableState,
  tableView,
  visibleColumns,
  withColumnToggled,
} from '../src/workspace/runs-table.js';
import { neutraliseCell, runsTableCsv, runsTableValues } from '../src/workspace/table-csv.js';
import { tableRun } from './support/table-run.js';

// Names and times of their own: the CSV and sort tests read them.
const run = (id: string, extra: Partial<TableRun> = {}): TableRun =>
  tableRun(id, { name: `run-${id}`, created_at: 1000, duration: 10, ...extra });

const RUNS = [
  run('a', {
    created_at: 1,
    config: { lr: 0.1, opt: 'adam' },
    summary: { loss: 0.5 },
    group: 'g1',
    tags: ['base'],
  }),
  run('b', { created_at: 2, config: { lr: 0.01, opt: 'sgd' }, summary: { loss: 0.2 }, group: 'g1' }),
  run('c', {
    created_at: 3,
    config: { lr: '1e-3' },
    summary: { loss: 0.9, acc: 0.7 },
    group: 'g2',
    state: 'running',
  }),
  run('d', { created_at: 4, damaged: 'history.sglog: CRC mismatch at frame 3' }),
];
const state = (s: Partial<TableState>): TableState => ({ ...EMPTY_TABLE_STATE, ...s });

describe('runs table columns', () => {
  test('are the run fields, then every config key, then every summary metric', () => {
    const ids = runColumns(RUNS).map((c) => c.id);
    assert.deepEqual(ids, [
      'name',
      'state',
      'created',
      'duration',
      'tags',
      'group',
      'job_type',
      'config.lr',
      'config.opt',
      'summary.acc',
      'summary.loss',
    ]);
  });

  test('a damaged run shows the state "damaged"', () => {
    const state = runColumns(RUNS).find((c) => c.id === 'state');
    assert.equal(state?.value(RUNS[3]), 'damaged');
  });

  test('mixed config types sort numbers first, then text, missing last', () => {
    assert.deepEqual([0.1, '1e-3', undefined, 0.01].sort(compareCells), [0.01, 0.1, '1e-3', undefined]);
  });

  test('show/hide and reorder work on the visible list; the name column always stays', () => {
    const all = runColumns(RUNS);
    const shown = visibleColumns(all, EMPTY_TABLE_STATE);
    assert.equal(shown.length, all.length);
    const hidden = withColumnToggled(shown, 'config.opt');
    assert.ok(!hidden.includes('config.opt'));
    assert.deepEqual(
      withColumnToggled(shown, 'name'),
      shown.map((c) => c.id),
    );
    assert.deepEqual(movedColumn(['name', 'state', 'created'], 'created', -1), ['name', 'created', 'state']);
    assert.deepEqual(
      visibleColumns(all, state({ columns: ['summary.loss', 'gone', 'name'] })).map((c) => c.id),
      ['summary.loss', 'name'],
    );
  });
});

describe('tableView', () => {
  const columns = runColumns(RUNS);
  const ids = (s: Partial<TableState>, sql: Set<string> | null = null) =>
    tableView(RUNS, columns, state(s), sql).rows.map((r) => r.run_id);

  test('sorts by any column, missing values last in both directions, pinned runs first', () => {
    assert.deepEqual(ids({ sort: { column: 'summary.loss', descending: false } }), ['b', 'a', 'c', 'd']);
    assert.deepEqual(ids({ sort: { column: 'summary.loss', descending: true } }), ['c', 'a', 'b', 'd']);
    assert.deepEqual(ids({ sort: { column: 'created', descending: true }, pinned: ['a'] }), [
      'a',
      'd',
      'c',
      'b',
    ]);
  });

  test('quick filters match name, tags and group; states filter; SQL matches intersect', () => {
    assert.deepEqual(ids({ search: 'BASE' }), ['a']);
    assert.deepEqual(ids({ search: 'g2' }), ['c']);
    assert.deepEqual(ids({ states: ['running'] }), ['c']);
    assert.deepEqual(ids({ states: ['damaged'] }), ['d']);
    assert.deepEqual(ids({ sort: null }, new Set(['b', 'c'])), ['b', 'c']);
    assert.equal(tableView(RUNS, columns, state({ search: 'run-a' }), null).hidden, 3);
  });

  test('groups by any column in row order', () => {
    const view = tableView(RUNS, columns, state({ groupBy: 'group', sort: null }), null);
    assert.deepEqual(
      view.groups?.map((g) => [g.key, g.runs.map((r) => r.run_id)]),
      [
        ['g1', ['a', 'b']],
        ['g2', ['c']],
        ['', ['d']],
      ],
    );
    const byConfig = tableView(RUNS, columns, state({ groupBy: 'config.opt', sort: null }), null);
    assert.deepEqual(
      byConfig.groups?.map((g) => g.key),
      ['adam', 'sgd', ''],
    );
  });
});

describe('CSV export', () => {
  test('neutralises cells a spreadsheet would evaluate, like the CLI', () => {
    assert.equal(neutraliseCell('=cmd()'), "'=cmd()");
    assert.equal(neutraliseCell('@x'), "'@x");
    assert.equal(neutraliseCell(-1), '-1');
    assert.equal(neutraliseCell(true), '1');
    assert.equal(neutraliseCell(null), '');
  });

  test('quotes commas, quotes and line breaks', () => {
    const columns = runColumns([run('x', { name: 'a,"b"\nc', config: { f: '+1' } })]).filter((c) =>
      ['name', 'config.f'].includes(c.id),
    );
    const csv = runsTableCsv(columns, [run('x', { name: 'a,"b"\nc', config: { f: '+1' } })]);
    assert.equal(csv, `run_id,name,config.f\r\nx,"a,""b""\nc",'+1\r\n`);
  });
});

test('Parquet export values keep their types, one row per run', () => {
  const columns = runColumns(RUNS).filter((c) => ['name', 'tags', 'config.lr'].includes(c.id));
  assert.deepEqual(runsTableValues(columns, RUNS.slice(0, 3)), {
    columns: ['run_id', 'name', 'tags', 'config.lr'],
    rows: [
      ['a', 'run-a', 'base', 0.1],
      ['b', 'run-b', null, 0.01],
      ['c', 'run-c', null, '1e-3'],
    ],
  });
});
