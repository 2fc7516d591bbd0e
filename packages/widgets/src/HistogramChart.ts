import { HEAT_CELLS_DATASET, type HistogramStep, heatCells, heatStripSpec } from '@spyglass/charts';
import type { View } from 'vega';
import { ChartRenderError, describeError } from './errors.js';
import { heatThemeOf } from './heat-theme.js';
import { messages } from './messages.js';
import { embedChart, replaceDataset, resizeChart } from './vega-render.js';

const STRIP_HEIGHT = 90;
const MIN_WIDTH = 200;

/**
 * One key's histograms over time as a heat strip (x = step, y = value bins, colour = count), embedded once and
 * then fed through changesets. Several runs (the workspace) stack one strip each. `data-histograms` counts the
 * histograms drawn and `data-runs` the strips, for tests.
 */
export class HistogramChart {
  readonly node: HTMLElement;
  private readonly plot: HTMLElement;
  private view: View | null = null;
  private embedding: Promise<View> | null = null;
  private width = 0;
  /** The theme colours the view was embedded with: another theme re-embeds it. */
  private themeKey = '';
  private disposed = false;

  constructor(
    readonly metric: string,
    /** Stack one strip per run (the workspace); a run panel shows one. */
    private readonly stacked = false,
  ) {
    this.node = document.createElement('figure');
    this.node.className = 'jp-SpyglassChart jp-SpyglassHeatStrip';
    this.node.setAttribute('data-metric', metric);
    this.node.setAttribute('data-histograms', '0');
    this.plot = document.createElement('div');
    this.plot.className = 'jp-SpyglassChart-plot';
    this.node.append(this.plot);
  }

  /** Shows these histograms; `runLabels` names each run's strip (by run id) when stacked. */
  async update(steps: HistogramStep[], width: number, runLabels: Record<string, string> = {}): Promise<void> {
    if (this.disposed) return;
    const cells = heatCells(steps, runLabels);
    const plotWidth = Math.max(MIN_WIDTH, Math.floor(width));
    try {
      if (this.view && JSON.stringify(this.theme()) !== this.themeKey) this.dropView();
      const view = await this.ensureView(plotWidth);
      if (this.disposed) return;
      if (!this.stacked && plotWidth !== this.width) {
        this.width = plotWidth;
        await resizeChart(view, plotWidth);
      }
      await replaceDataset(view, HEAT_CELLS_DATASET, cells);
      this.node.setAttribute('data-histograms', String(steps.length));
      this.node.setAttribute('data-steps', String(new Set(steps.map((s) => s.step)).size));
      this.node.setAttribute('data-runs', String(new Set(steps.map((s) => s.run ?? '')).size));
      this.node.removeAttribute('data-error');
    } catch (cause) {
      const error = new ChartRenderError(this.metric, { cause });
      this.node.setAttribute('data-error', error.message);
      this.dropView();
      this.plot.textContent = messages.chartFailed(this.metric, describeError(cause));
      throw error;
    }
  }

  /** Follows a layout change without waiting for new data. */
  async resize(width: number): Promise<void> {
    const plotWidth = Math.max(MIN_WIDTH, Math.floor(width));
    if (!this.view || this.disposed || this.stacked || plotWidth === this.width) return;
    this.width = plotWidth;
    await resizeChart(this.view, plotWidth);
  }

  dispose(): void {
    this.disposed = true;
    this.view?.finalize();
    this.view = null;
    this.node.remove();
  }

  private theme() {
    return heatThemeOf(this.node.isConnected ? this.node : document.body);
  }

  private dropView(): void {
    this.view?.finalize();
    this.view = null;
    this.embedding = null;
    this.width = 0;
    this.plot.replaceChildren();
  }

  private ensureView(width: number): Promise<View> {
    if (this.view) return Promise.resolve(this.view);
    if (!this.embedding) {
      const theme = this.theme();
      this.themeKey = JSON.stringify(theme);
      const spec = heatStripSpec({
        metric: this.metric,
        width: this.stacked ? Math.max(MIN_WIDTH, width - 120) : width,
        height: STRIP_HEIGHT,
        stacked: this.stacked,
        theme,
      });
      this.embedding = embedChart(this.plot, spec).then((view) => {
        if (this.disposed) view.finalize();
        else this.view = view;
        this.width = width;
        return view;
      });
    }
    return this.embedding;
  }
}
