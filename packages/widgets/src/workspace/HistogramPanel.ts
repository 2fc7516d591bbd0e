import type { HistogramStep, PlannedPanel } from '@spyglass/charts';
import { describeError } from '../errors.js';
import { HistogramChart } from '../HistogramChart.js';
import { onThemeChange } from '../heat-theme.js';
import { Throttle } from '../throttle.js';
import type { ChartContext, ChartEvents } from './chart-context.js';
import { panelHeader, removeAction } from './panel-header.js';
import { workspaceMessages as text } from './workspace-messages.js';

type HistogramPanelSpec = Extract<PlannedPanel, { kind: 'histogram' }>;

/**
 * A workspace panel of one histogram key over time: a heat strip per run the table keeps (stacked, labelled by
 * run name), read from the server on every change of runs. `data-runs` and `data-histograms` say what is drawn.
 */
export class HistogramPanel {
  readonly node = document.createElement('figure');
  private readonly plot = document.createElement('div');
  private readonly message = document.createElement('p');
  private chart: HistogramChart;
  private chartWidth = 0;
  private readonly throttle: Throttle;
  private context: ChartContext | null = null;
  private shown = '';
  private disposed = false;
  private readonly stopThemeWatch = onThemeChange(() => {
    this.shown = '';
    this.throttle.request();
  });

  constructor(
    readonly panel: HistogramPanelSpec,
    private readonly events: ChartEvents,
  ) {
    this.node.className = 'jp-SpyglassWorkspaceChart';
    this.node.dataset.panelId = panel.id;
    this.node.dataset.kind = 'histogram';
    this.node.dataset.metric = panel.metric;
    this.node.dataset.state = 'loading';
    this.chart = new HistogramChart(panel.metric, true);
    this.plot.className = 'jp-SpyglassWorkspaceChart-plot';
    this.plot.append(this.chart.node);
    this.message.className = 'jp-SpyglassWorkspaceChart-message';
    this.message.hidden = true;
    this.node.append(this.header(), this.plot, this.message);
    this.throttle = new Throttle(() => this.redraw(), 60);
  }

  /** New runs, filters or settings: re-read the histograms of the runs shown (throttled). */
  update(context: ChartContext): void {
    this.context = context;
    this.throttle.request();
  }

  /** Strips of a stacked chart have a fixed width; a new width redraws them. */
  async resize(): Promise<void> {
    this.shown = '';
    this.throttle.request();
  }

  dispose(): void {
    this.disposed = true;
    this.stopThemeWatch();
    this.throttle.dispose();
    this.chart.dispose();
    this.node.remove();
  }

  private async redraw(): Promise<void> {
    const context = this.context;
    if (this.disposed || !context) return;
    const runIds = context.runs.map((r) => r.run_id);
    const width = Math.max(240, Math.floor(this.plot.clientWidth || this.node.clientWidth || 400));
    try {
      const answer = await context.data.histograms(this.panel.metric, runIds);
      if (this.disposed) return;
      const steps: HistogramStep[] = runIds.flatMap((run) =>
        (answer.runs[run] ?? []).map((h) => ({ ...h, run })),
      );
      const key = JSON.stringify([width, steps.length, steps.at(-1)?.step, Object.keys(answer.runs)]);
      if (key === this.shown) return;
      this.shown = key;
      if (steps.length === 0) {
        this.showMessage(text.noHistograms(this.panel.metric), false);
        this.node.dataset.state = 'empty';
        return;
      }
      if (width !== this.chartWidth) {
        // Stacked strips are embedded at a fixed width: a new width makes a new chart.
        this.chart.dispose();
        this.chart = new HistogramChart(this.panel.metric, true);
        this.plot.append(this.chart.node);
        this.chartWidth = width;
      }
      await this.chart.update(steps, width, context.labels);
      this.node.dataset.runs = String(Object.keys(answer.runs).length);
      this.node.dataset.histograms = String(steps.length);
      this.node.dataset.state = 'ready';
      this.showMessage('', false);
    } catch (error) {
      this.node.dataset.state = 'error';
      this.showMessage(text.panelFailed(describeError(error)), true);
    }
  }

  private header(): HTMLElement {
    return panelHeader(this.panel.metric, [removeAction(() => this.events.remove(this.panel.id))]);
  }

  private showMessage(message: string, isError: boolean): void {
    this.message.textContent = message;
    this.message.hidden = message === '';
    this.message.classList.toggle('jp-mod-error', isError);
  }
}
