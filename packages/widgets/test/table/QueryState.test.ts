import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TableColumn } from '@spyglass/store';
import { QueryState } from '../../src/table/QueryState.js';

const score: TableColumn = { name: 'score', sqlType: 'DOUBLE', kind: 'number' };
const label: TableColumn = { name: 'label', sqlType: 'VARCHAR', kind: 'string' };

test('a sort button cycles ascending, descending, then unsorted', () => {
  const query = new QueryState();
  query.cycleSort('score');
  assert.deepEqual(query.sort, { column: 'score', descending: false });
  query.cycleSort('score');
  assert.deepEqual(query.sort, { column: 'score', descending: true });
  query.cycleSort('score');
  assert.equal(query.sort, undefined);
  query.cycleSort('score');
  query.cycleSort('label');
  assert.deepEqual(query.sort, { column: 'label', descending: false });
});

test('a filter box shows again the text that set its filter', () => {
  const query = new QueryState();
  for (const text of ['0.1..0.9', '>2', '>=2', '<3', '<=3', '5']) {
    query.setFilter(score, text);
    assert.equal(query.filterText('score'), text);
  }
  query.setFilter(label, '=cat');
  assert.equal(query.filterText('label'), '=cat');
  query.setFilter(label, 'ca');
  assert.equal(query.filterText('label'), 'ca');
  assert.equal(query.spec.filters?.length, 2);
  query.setFilter(label, '  ');
  assert.equal(query.filterText('label'), '');
  assert.equal(query.spec.filters?.length, 1);
});

test('a filter that does not parse changes nothing', () => {
  const query = new QueryState();
  query.setFilter(score, '>2');
  const before = query.spec;
  assert.throws(() => query.setFilter(score, 'abc'));
  assert.equal(query.spec, before);
  assert.equal(query.filterText('score'), '>2');
});

test('an SQL query replaces the WHERE box, filters, grouping and sort', () => {
  const query = new QueryState();
  query.where(' score > 1 ');
  query.setFilter(label, 'ca');
  query.sortBy('score', true);
  assert.equal(query.spec.where, 'score > 1');
  query.sql(' SELECT * FROM t ');
  assert.deepEqual(query.spec, { sql: 'SELECT * FROM t' });
  assert.equal(query.filterText('label'), '');
});

test('grouping counts rows, aggregates the numeric columns and resets the sort', () => {
  const query = new QueryState();
  query.sortBy('score');
  query.groupBy('label', 'mean', [label, score]);
  assert.equal(query.grouped, true);
  assert.deepEqual(query.spec.groupBy, {
    columns: ['label'],
    aggregates: [{ fn: 'count' }, { fn: 'mean', column: 'score' }],
  });
  assert.deepEqual(query.spec.sort, []);
  query.groupBy('', 'mean', [label, score]);
  assert.equal(query.grouped, false);
});
