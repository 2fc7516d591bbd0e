import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { describeError } from '../errors.js';
import { embedChart, replaceDataset, resizeChart } from '../vega-render.js';

/** What a chart should show: a spec (embedded only when its key changes) and the rows of its named datasets. */
export interface ChartContent {
  /** Identifies the spec's shape; the same key means the datasets can be swapped in place. */
  key: string;
  spec: () => TopLevelSpec;
  datasets: Record<string, object[]>;
  /** Total width in pixels, or null for charts that size themselves. */
  width: number | null;
}

/**
 * A Vega chart that is embedded once and then updated in place through changesets, so a new snapshot redraws
 * without flicker. A new key embeds the new spec off-screen and swaps it in when drawn. Calls are serialised; when
 * several arrive while one is drawing, only the latest is drawn.
 */
export class LiveChart {
  readonly node = document.createElement('div');
  private view: View | null = null;
  private key: string | null = null;
  private width: number | null = null;
  private pending: ChartContent | null = null;
  private drawing: Promise<void> | null = null;
  private disposed = false;

  /** `onTrialClick` gets the `trial` field of a clicked mark's row (charts with one mark item per trial row). */
  constructor(
    private readonly name: string,
    private readonly onError: (message: string) => void,
    private readonly onTrialClick: ((trial: number) => void) | null = null,
  ) {
    this.node.className = 'jp-SpyglassSweep-chart';
  }

  /** Shows this content (resolves once it, or a later content, is drawn). */
  show(content: ChartContent): Promise<void> {
    this.pending = content;
    if (!this.drawing) {
      this.drawing = this.drain().finally(() => {
        this.drawing = null;
      });
    }
    return this.drawing;
  }

  dispose(): void {
    this.disposed = true;
    this.view?.finalize();
    this.view = null;
    this.node.remove();
  }

  private async drain(): Promise<void> {
    while (this.pending && !this.disposed) {
      const content = this.pending;
      this.pending = null;
      try {
        await this.draw(content);
        this.node.removeAttribute('data-error');
      } catch (error) {
        const message = describeError(error);
        this.node.setAttribute('data-error', message);
        this.onError(`${this.name}: ${message}`);
        this.view?.finalize();
        this.view = null;
        this.key = null;
      }
    }
  }

  private async draw(content: ChartContent): Promise<void> {
    if (this.view && this.key === content.key) {
      for (const [name, rows] of Object.entries(content.datasets))
        await replaceDataset(this.view, name, rows);
      if (content.width !== null && content.width !== this.width) {
        this.width = content.width;
        await resizeChart(this.view, content.width);
      }
      return;
    }
    // Draw the new spec in a detached element and swap it in, so the old chart stays until the new one is ready.
    const host = document.createElement('div');
    host.className = 'jp-SpyglassSweep-plot';
    const spec = content.spec();
    const view = await embedChart(
      host,
      content.width === null ? spec : ({ ...spec, width: content.width } as TopLevelSpec),
    );
    if (this.disposed) {
      view.finalize();
      return;
    }
    const onTrialClick = this.onTrialClick;
    if (onTrialClick)
      view.addEventListener('click', (_event, item) => {
        const trial = (item?.datum as { trial?: unknown } | undefined)?.trial;
        if (typeof trial === 'number') onTrialClick(trial);
      });
    this.view?.finalize();
    this.view = view;
    this.key = content.key;
    this.width = content.width;
    this.node.replaceChildren(host);
  }
}
