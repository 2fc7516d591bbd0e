import { HEAT_CELLS_DATASET, type HistogramStep, heatCells, heatStripSpec } from '@spyglass/charts';
import type { TopLevelSpec } from 'vega-lite';
import { EmbeddedChart, plotWidthOf } from './EmbeddedChart.js';
import { heatThemeOf } from './heat-theme.js';
import { replaceDataset } from './vega-render.js';

const STRIP_HEIGHT = 90;

/**
 * One key's histograms over time as a heat strip (x = step, y = value bins, colour = count), embedded once and
 * then fed through changesets. Several runs (the workspace) stack one strip each. `data-histograms` counts the
 * histograms drawn and `data-runs` the strips, for tests.
 */
export class HistogramChart extends EmbeddedChart {
  /** The theme colours the view was embedded with: another theme re-embeds it. */
  private themeKey = '';

  constructor(
    metric: string,
    /** Stack one strip per run (the workspace); a run panel shows one. */
    private readonly stacked = false,
  ) {
    super(metric, 'jp-SpyglassChart jp-SpyglassHeatStrip', 'data-histograms');
  }

  /** Shows these histograms; `runLabels` names each run's strip (by run id) when stacked. */
  async update(steps: HistogramStep[], width: number, runLabels: Record<string, string> = {}): Promise<void> {
    const cells = heatCells(steps, runLabels);
    await this.render(width, async (view) => {
      await replaceDataset(view, HEAT_CELLS_DATASET, cells);
      this.node.setAttribute('data-histograms', String(steps.length));
      this.node.setAttribute('data-steps', String(new Set(steps.map((s) => s.step)).size));
      this.node.setAttribute('data-runs', String(new Set(steps.map((s) => s.run ?? '')).size));
    });
  }

  protected override followsWidth(): boolean {
    return !this.stacked;
  }

  protected override isStale(): boolean {
    return JSON.stringify(this.theme()) !== this.themeKey;
  }

  protected spec(width: number): TopLevelSpec {
    const theme = this.theme();
    this.themeKey = JSON.stringify(theme);
    return heatStripSpec({
      metric: this.metric,
      width: this.stacked ? plotWidthOf(width - 120) : width,
      height: STRIP_HEIGHT,
      stacked: this.stacked,
      // Stacked strips sit in a workspace panel, whose header already shows the key.
      ...(this.stacked ? { title: null } : {}),
      theme,
    });
  }

  private theme() {
    return heatThemeOf(this.node.isConnected ? this.node : document.body);
  }
}
