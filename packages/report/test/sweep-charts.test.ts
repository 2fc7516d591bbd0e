import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseSweepSnapshot, type SweepSnapshot } from '@spyglass/protocol';
import { fixturePath } from '@spyglass/protocol/fixtures';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { SCATTERS_PER_SWEEP, sweepChartSpecs } from '../src/sweep-charts.js';

/** The golden sweep snapshot the sweep panel's tests use (12 trials, 5 parameters, importance). */
function snapshot(): SweepSnapshot {
  return parseSweepSnapshot(JSON.parse(readFileSync(fixturePath('sweep', 'snapshot.json'), 'utf8')));
}

async function svgOf(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile({ ...spec, width: 500 } as TopLevelSpec).spec), {
    renderer: 'none',
  });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

describe('sweepChartSpecs', () => {
  test("draws the sweep panel's charts, not a line over fractional trial numbers", async () => {
    const charts = sweepChartSpecs(snapshot(), false);
    const names = charts.map((c) => c.name);
    assert.equal(names[0], 'parallel');
    assert.equal(names[1], 'by-trial');
    assert.ok(names.includes('importance'));
    const scatters = names.filter((n) => n.startsWith('scatter:'));
    assert.ok(scatters.length >= 1 && scatters.length <= SCATTERS_PER_SWEEP);
    const byTrial = await svgOf(charts[1].spec);
    // The x axis labels whole trials ('d' format): no "0.5", "1.5" ticks.
    const xAxis = byTrial.split('aria-roledescription="axis"').find((part) => part.includes('X-axis titled'));
    const labels = [...(xAxis ?? '').matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    assert.ok(labels.includes('trial') && labels.length > 2, labels.join(' '));
    assert.deepEqual(
      labels.filter((l) => l !== 'trial' && !/^\d+$/.test(l)),
      [],
    );
    for (const chart of charts) assert.match(await svgOf(chart.spec), /<svg/, chart.name);
  });

  test("tooltips show six significant digits and the page's dark colours replace the light ones", () => {
    const dark = sweepChartSpecs(snapshot(), true);
    const byTrial = JSON.stringify(dark[1].spec);
    assert.match(byTrial, /"format":"\.6~g"/);
    const config = (dark[1].spec as { config: { axis: { labelColor: string } } }).config;
    assert.equal(config.axis.labelColor, '#d4d4d4');
    const parallel = (dark[0].spec as { config: { legend: { labelColor: string }; view: object } }).config;
    assert.equal(parallel.legend.labelColor, '#d4d4d4');
    assert.deepEqual(parallel.view, { stroke: null });
  });
});
