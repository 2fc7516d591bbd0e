import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { ChartRenderError, describeError } from './errors.js';
import { messages } from './messages.js';
import { embedChart, resizeChart } from './vega-render.js';

const MIN_WIDTH = 200;

/** A chart's plot width: at least MIN_WIDTH, in whole pixels. */
export function plotWidthOf(width: number): number {
  return Math.max(MIN_WIDTH, Math.floor(width));
}

/**
 * One chart cell (a metric's line chart, a key's heat strip): a `<figure>` whose Vega view is embedded once and
 * then fed through changesets. Holds the embed/resize/teardown the cells share; a subclass gives the spec and
 * fills the view's datasets.
 */
export abstract class EmbeddedChart {
  readonly node: HTMLElement;
  protected readonly plot: HTMLElement;
  private view: View | null = null;
  private embedding: Promise<View> | null = null;
  /** Total width last given to the view (its `width` signal reads back smaller under autosize fit-x). */
  private width = 0;
  private disposed = false;

  constructor(
    readonly metric: string,
    className: string,
    /** The attribute counting what the chart draws (for tests), '0' until the first update. */
    countAttribute: string,
  ) {
    this.node = document.createElement('figure');
    this.node.className = className;
    this.node.setAttribute('data-metric', metric);
    this.node.setAttribute(countAttribute, '0');
    this.plot = document.createElement('div');
    this.plot.className = 'jp-SpyglassChart-plot';
    this.node.append(this.plot);
  }

  /** The embedded view, once it exists. */
  protected currentView(): View | null {
    return this.view;
  }

  /** The spec to embed at this plot width. */
  protected abstract spec(width: number): TopLevelSpec;

  /** Whether the embedded view follows width changes (a stacked heat strip keeps the width it was embedded at). */
  protected followsWidth(): boolean {
    return true;
  }

  /** Whether the embedded view is out of date (e.g. embedded with another theme's colours) and is re-embedded. */
  protected isStale(): boolean {
    return false;
  }

  /**
   * Embeds the view on the first call (or after a failure or isStale), follows the width, then `fill`s its
   * datasets. A failure shows a message in the cell, drops the view and rethrows as ChartRenderError.
   */
  protected async render(width: number, fill: (view: View) => Promise<void>): Promise<void> {
    if (this.disposed) return;
    const plotWidth = plotWidthOf(width);
    try {
      if (this.view && this.isStale()) this.dropView();
      const view = await this.ensureView(plotWidth);
      if (this.disposed) return;
      await this.applyWidth(view, plotWidth);
      await fill(view);
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
    if (this.view && !this.disposed) await this.applyWidth(this.view, plotWidthOf(width));
  }

  dispose(): void {
    this.disposed = true;
    this.view?.finalize();
    this.view = null;
    this.node.remove();
  }

  private async applyWidth(view: View, width: number): Promise<void> {
    if (!this.followsWidth() || width === this.width) return;
    this.width = width;
    await resizeChart(view, width);
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
      this.embedding = embedChart(this.plot, this.spec(width)).then((view) => {
        if (this.disposed) view.finalize();
        else this.view = view;
        this.width = width;
        return view;
      });
    }
    return this.embedding;
  }
}
