import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LayoutValidationError } from '../src/workspace/errors.js';
import {
  CUSTOM_SECTION,
  defaultLayout,
  LAYOUT_VERSION,
  newPanelId,
  parseLayout,
  planPanels,
  serialiseLayout,
  type WorkspaceLayout,
} from '../src/workspace/workspace-layout.js';

describe('workspace layout', () => {
  test('one line panel per metric, in sections by "/" prefix', () => {
    const plan = planPanels(['loss', 'train/acc', 'val/loss', 'train/loss'], defaultLayout());
    assert.deepEqual(
      plan.map((s) => [s.name, s.panels.map((p) => p.id)]),
      [
        ['Charts', ['metric:loss']],
        ['train', ['metric:train/acc', 'metric:train/loss']],
        ['val', ['metric:val/loss']],
      ],
    );
  });

  test('added panels join their section, hidden metrics leave, collapsed sections are marked', () => {
    const layout: WorkspaceLayout = {
      ...defaultLayout(),
      panels: [
        { id: 'scatter-1', kind: 'scatter', section: 'train', x: 'config.lr', y: 'summary.loss' },
        { id: 'bar-1', kind: 'bar', section: CUSTOM_SECTION, column: 'summary.loss' },
      ],
      hiddenMetrics: ['loss'],
      collapsedSections: ['train'],
    };
    const plan = planPanels(['loss', 'train/acc'], layout);
    assert.deepEqual(
      plan.map((s) => [s.name, s.collapsed, s.panels.map((p) => p.id)]),
      [
        ['train', true, ['metric:train/acc', 'scatter-1']],
        [CUSTOM_SECTION, false, ['bar-1']],
      ],
    );
    assert.equal(newPanelId(layout, 'scatter'), 'scatter-2');
  });

  test('round-trips through JSON with its version', () => {
    const layout: WorkspaceLayout = {
      ...defaultLayout(),
      chart: { xAxis: 'epoch', smoothing: 0.6, logX: false, logY: true },
      panels: [
        { id: 'custom-1', kind: 'custom', section: 'x', title: 't', sql: 'SELECT 1', spec: { mark: 'bar' } },
      ],
    };
    layout.table = {
      ...layout.table,
      groupBy: 'config.opt',
      selected: ['a'],
      pinned: ['b'],
      columns: ['name'],
    };
    const text = serialiseLayout(layout);
    assert.equal(JSON.parse(text).version, LAYOUT_VERSION);
    assert.deepEqual(parseLayout(JSON.parse(text)), layout);
  });

  test('missing optional parts take defaults', () => {
    assert.deepEqual(parseLayout({ version: LAYOUT_VERSION }), defaultLayout());
  });

  test('malformed or newer layouts are refused with the path of the bad part', () => {
    const bad: [unknown, RegExp][] = [
      [null, /at layout: expected an object/],
      [{ version: LAYOUT_VERSION + 1 }, /newer Spyglass/],
      [{ version: 1, panels: [{ id: 'x', kind: 'pie' }] }, /layout\.panels\[0\]\.kind/],
      [{ version: 1, chart: { smoothing: 1.5 } }, /layout\.chart\.smoothing/],
      [{ version: 1, table: { selected: [1] } }, /layout\.table\.selected\[0\]/],
      [
        {
          version: 1,
          panels: [
            { id: 'a', kind: 'bar', column: 'x' },
            { id: 'a', kind: 'bar', column: 'y' },
          ],
        },
        /duplicate id/,
      ],
    ];
    for (const [value, message] of bad) {
      assert.throws(
        () => parseLayout(value),
        (e: unknown) => e instanceof LayoutValidationError && message.test(e.message),
        JSON.stringify(value),
      );
    }
  });
});
