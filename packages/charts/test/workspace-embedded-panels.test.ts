import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LayoutValidationError } from '../src/workspace/errors.js';
import {
  defaultLayout,
  isEmbeddedPanel,
  LAYOUT_VERSION,
  type LayoutPanel,
  newPanelId,
  parseLayout,
  planPanels,
  serialiseLayout,
} from '../src/workspace/workspace-layout.js';

const EMBEDDED: LayoutPanel[] = [
  { id: 'table-1', kind: 'table', section: 'Tables', runId: 'r1', key: 'preds', step: null },
  { id: 'table-2', kind: 'table', section: 'Tables', runId: 'r1', key: 'preds', step: 3 },
  { id: 'sweep-1', kind: 'sweep', section: 'Sweeps', sweepId: 'abc123' },
  { id: 'lineage-1', kind: 'lineage', section: 'Lineage', focus: null },
  { id: 'lineage-2', kind: 'lineage', section: 'Lineage', focus: 'artifact:p/data:v0' },
];

function refused(value: unknown, message: RegExp): void {
  assert.throws(
    () => parseLayout(value),
    (e: unknown) => e instanceof LayoutValidationError && message.test(e.message),
    JSON.stringify(value),
  );
}

describe('embedded workspace panels (table, sweep, lineage)', () => {
  test('round-trip through the saved JSON', () => {
    const layout = { ...defaultLayout(), panels: EMBEDDED };
    const parsed = parseLayout(JSON.parse(serialiseLayout(layout)));
    assert.deepEqual(parsed, layout);
    assert.equal(parsed.version, LAYOUT_VERSION);
  });

  test('optional parts default: step and focus null, section the custom one', () => {
    const parsed = parseLayout({
      version: LAYOUT_VERSION,
      panels: [
        { id: 't', kind: 'table', runId: 'r', key: 'k' },
        { id: 'l', kind: 'lineage' },
      ],
    });
    assert.deepEqual(parsed.panels, [
      { id: 't', kind: 'table', section: 'Custom panels', runId: 'r', key: 'k', step: null },
      { id: 'l', kind: 'lineage', section: 'Custom panels', focus: null },
    ]);
  });

  test('a version 1 layout still loads and is upgraded; embedded kinds need version 2', () => {
    const old = parseLayout({ version: 1, panels: [{ id: 'b', kind: 'bar', column: 'x' }] });
    assert.equal(old.version, LAYOUT_VERSION);
    assert.equal(old.panels.length, 1);
    refused({ version: 1, panels: [{ id: 's', kind: 'sweep', sweepId: 'x' }] }, /needs layout version 2/);
  });

  test('malformed embedded panels are refused with the path of the bad part', () => {
    const v = LAYOUT_VERSION;
    refused({ version: v, panels: [{ id: 't', kind: 'table', key: 'k' }] }, /panels\[0\]\.runId/);
    refused({ version: v, panels: [{ id: 't', kind: 'table', runId: 'r', key: '' }] }, /panels\[0\]\.key/);
    refused({ version: v, panels: [{ id: 't', kind: 'table', runId: 'r', key: 'k', step: -1 }] }, /\.step/);
    refused({ version: v, panels: [{ id: 't', kind: 'table', runId: 'r', key: 'k', step: 1.5 }] }, /\.step/);
    refused({ version: v, panels: [{ id: 's', kind: 'sweep' }] }, /panels\[0\]\.sweepId/);
    refused({ version: v, panels: [{ id: 'l', kind: 'lineage', focus: 3 }] }, /panels\[0\]\.focus/);
    refused({ version: 1.5 }, /unsupported version/);
  });

  test('planned into their sections after the metric panels, with fresh ids per kind', () => {
    const layout = { ...defaultLayout(), panels: EMBEDDED };
    const plan = planPanels(['loss'], layout);
    assert.deepEqual(
      plan.map((s) => [s.name, s.panels.map((p) => p.id)]),
      [
        ['Charts', ['metric:loss']],
        ['Tables', ['table-1', 'table-2']],
        ['Sweeps', ['sweep-1']],
        ['Lineage', ['lineage-1', 'lineage-2']],
      ],
    );
    assert.deepEqual(
      plan.flatMap((s) => s.panels.filter(isEmbeddedPanel).map((p) => p.kind)),
      ['table', 'table', 'sweep', 'lineage', 'lineage'],
    );
    assert.equal(newPanelId(layout, 'table'), 'table-3');
    assert.equal(newPanelId(layout, 'sweep'), 'sweep-2');
  });
});
