import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { alertsCell, cellText, runColumns, type TableRun } from '../src/workspace/index.js';
import { tableRun } from './support/table-run.js';

function run(id: string, alerts?: TableRun['alerts']): TableRun {
  return tableRun(id, alerts ? { alerts } : {});
}

describe('the alerts column of the runs table', () => {
  test('is there only when some run has alerts, after the run fields', () => {
    assert.ok(!runColumns([run('a'), run('b', [])]).some((c) => c.id === 'alerts'));
    const ids = runColumns([run('a'), run('b', [{ title: 'x', text: '', level: 'INFO', at: 1 }])]).map(
      (c) => c.id,
    );
    assert.equal(ids.indexOf('alerts'), ids.indexOf('job_type') + 1);
  });

  test('shows how many alerts a run has and its latest with the level; empty for a run without', () => {
    const alerts: TableRun['alerts'] = [
      { title: 'loss high', text: 'loss 3', level: 'WARN', at: 1 },
      { title: 'diverged', text: 'NaN', level: 'ERROR', at: 2 },
    ];
    const column = runColumns([run('a', alerts), run('b')]).find((c) => c.id === 'alerts');
    assert.ok(column);
    assert.equal(cellText(column.value(run('a', alerts))), '2 · ERROR diverged');
    assert.equal(cellText(column.value(run('b'))), '');
    assert.equal(alertsCell(undefined), null);
  });
});
