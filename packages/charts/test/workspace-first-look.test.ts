import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { assignedRunColor, projectRunColors, RUN_PALETTE, runColor } from '../src/palette.js';
import { tickCountFor } from '../src/workspace/chart-axes.js';
import { chartLegend, moreLabel } from '../src/workspace/chart-legend.js';
import { workspaceLineFrameSpec } from '../src/workspace/line-frame.js';
import { groupColor } from '../src/workspace/line-plot.js';
import { clampRange, linesExtent, panRange, zoomRange } from '../src/workspace/zoom-range.js';

const runsOf = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    run_id: `run-${(n - i) * 7919}`,
    created_at: 1_700_000_000 + i * 3,
  }));

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
};

describe('run colours', () => {
  test('the palette has 20 different colours, readable on white and on a dark theme', () => {
    assert.equal(new Set(RUN_PALETTE).size, 20);
    for (const color of RUN_PALETTE) {
      assert.ok(contrast(color, '#ffffff') >= 2.2, `${color} on white: ${contrast(color, '#ffffff')}`);
      assert.ok(contrast(color, '#111111') >= 3.5, `${color} on #111: ${contrast(color, '#111111')}`);
    }
  });

  test('the first 20 runs of a project get 20 distinct colours by creation order', () => {
    const runs = runsOf(20);
    const colors = projectRunColors(runs);
    assert.equal(new Set(Object.values(colors)).size, 20);
    assert.equal(colors[runs[0].run_id], RUN_PALETTE[0], 'the oldest run takes the first colour');
    // The old hash gave 10 runs at most 10 colours and, for ids like these, collisions.
    const hashed = new Set(runs.slice(0, 10).map((r) => runColor(r.run_id)));
    assert.ok(hashed.size < 10, 'these ids collide under the hash (the case the assignment fixes)');
  });

  test('colours are stable across reloads (any listing order) and when later runs join', () => {
    const runs = runsOf(12);
    const first = projectRunColors(runs);
    assert.deepEqual(projectRunColors([...runs].reverse()), first, 'listing order does not matter');
    const grown = projectRunColors([
      ...runs,
      { run_id: 'a-new-run', created_at: 1_800_000_000 },
      { run_id: 'no-time', created_at: null },
    ]);
    for (const run of runs) assert.equal(grown[run.run_id], first[run.run_id], run.run_id);
    assert.equal(grown['a-new-run'], RUN_PALETTE[12]);
    assert.equal(grown['no-time'], RUN_PALETTE[13], 'a run without created_at sorts last');
  });

  test('equal creation times fall back to the run id; unknown runs get their hashed colour', () => {
    const colors = projectRunColors([
      { run_id: 'b', created_at: 5 },
      { run_id: 'a', created_at: 5 },
    ]);
    assert.deepEqual(colors, { a: RUN_PALETTE[0], b: RUN_PALETTE[1] });
    assert.equal(assignedRunColor('zzz', colors), runColor('zzz'));
    assert.equal(assignedRunColor('b', colors), RUN_PALETTE[1]);
  });

  test('groups take palette colours in legend order', () => {
    const groups = ['adam', 'sgd', 'rmsprop'];
    assert.deepEqual(
      groups.map((g) => groupColor(g, groups)),
      RUN_PALETTE.slice(0, 3),
    );
  });
});

describe('chart legend', () => {
  const label = (k: string) => `name of ${k}`;
  const color = (k: string) => `#${k}`;

  test('lists every series when they fit', () => {
    const legend = chartLegend(['a', 'b', 'c'], label, color);
    assert.deepEqual(
      legend.entries.map((e) => [e.key, e.label, e.color]),
      [
        ['a', 'name of a', '#a'],
        ['b', 'name of b', '#b'],
        ['c', 'name of c', '#c'],
      ],
    );
    assert.equal(legend.more, 0);
    assert.equal(moreLabel(legend.more), '');
  });

  test('past the maximum it lists the first and says "+N more"', () => {
    const keys = Array.from({ length: 1234 }, (_, i) => `r${i}`);
    const legend = chartLegend(keys, label, color, 50);
    assert.equal(legend.entries.length, 50);
    assert.equal(legend.entries[49].key, 'r49');
    assert.equal(legend.more, 1184);
    assert.equal(moreLabel(legend.more), '+1,184 more');
  });
});

describe('x ticks by width', () => {
  test('one tick per ~80 px, at least 2 and at most 12', () => {
    assert.equal(tickCountFor(120), 2);
    assert.equal(tickCountFor(360), 4);
    assert.equal(tickCountFor(900), 11);
    assert.equal(tickCountFor(5000), 12);
    assert.equal(tickCountFor(Number.NaN), 2);
  });

  test('labels of a narrow 0..1400 step axis do not overlap', async () => {
    for (const width of [240, 320, 450]) {
      const spec = workspaceLineFrameSpec({
        metric: 'loss',
        runs: ['a'],
        width,
        height: 180,
        titleAndLegend: false,
        extent: [
          { x: 0, y: 0 },
          { x: 1499, y: 1 },
        ],
      });
      const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
      await view.runAsync();
      const svg = await view.toSVG();
      view.finalize();
      const axis = svg.match(/<g class="mark-text role-axis-label"[\s\S]*?<\/g>/)?.[0] ?? '';
      const labels = [...axis.matchAll(/<text[^>]*transform="translate\(([\d.-]+),[^>]*>([^<]*)<\/text>/g)]
        .filter((m) => !/opacity="0"/.test(m[0]))
        .map((m) => ({ x: Number(m[1]), text: m[2] }));
      assert.ok(labels.length >= 2, `labels at ${width}: ${JSON.stringify(labels)}`);
      // 11 px sans: ~6.5 px per character; centred labels must leave a gap between neighbours.
      for (let i = 1; i < labels.length; i++) {
        const room = labels[i].x - labels[i - 1].x;
        const need = ((labels[i].text.length + labels[i - 1].text.length) / 2) * 6.5;
        assert.ok(
          room > need,
          `at ${width}px "${labels[i - 1].text}" and "${labels[i].text}" ${room}px apart`,
        );
      }
      assert.doesNotMatch(svg, /role-title/, 'no title inside the workspace chart');
    }
  });
});

describe('zoom clamped to the data', () => {
  const extent: [number, number] = [0, 5000];

  test('zooming out stops at the data extent (null: everything)', () => {
    assert.equal(zoomRange([0, 5000], 0.5, 2, extent), null);
    assert.equal(clampRange([-3000, 5000], extent), null);
    let range: [number, number] | null = [2000, 3000];
    for (let i = 0; i < 20 && range; i++) {
      range = zoomRange(range, 0.1, 1.5, extent);
      if (range) assert.ok(range[0] >= 0 && range[1] <= 5000, JSON.stringify(range));
    }
    assert.equal(range, null, 'enough zooming out shows exactly the data');
  });

  test('a zoom or pan past an edge slides back inside, keeping its width', () => {
    assert.deepEqual(clampRange([-500, 500], extent), [0, 1000]);
    assert.deepEqual(clampRange([4800, 5300], extent), [4500, 5000]);
    assert.deepEqual(panRange([4000, 4500], 3, extent), [4500, 5000]);
    assert.deepEqual(zoomRange([1000, 2000], 0.5, 0.5, extent), [1250, 1750]);
  });

  test('invalid ranges show everything; no extent yet means no clamp', () => {
    assert.equal(clampRange([5, 5], extent), null);
    assert.equal(clampRange([Number.NaN, 3], extent), null);
    assert.deepEqual(clampRange([-10, 10], null), [-10, 10]);
  });

  test('the extent of drawn lines skips non-finite x', () => {
    const lines = [{ xs: [3, 4, Number.NaN] }, { xs: [-1, 10] }, { xs: [] }];
    assert.deepEqual(linesExtent(lines), [-1, 10]);
    assert.equal(linesExtent([{ xs: [] }]), null);
  });
});
