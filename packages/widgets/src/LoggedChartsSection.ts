import type { Widget } from '@lumino/widgets';
import type { LoggedChart } from '@spyglass/charts';
import { messages } from './messages.js';

/** Makes the view of one logged chart (the extension reads its table through the server and draws the spec). */
export type LoggedChartView = (chart: LoggedChart) => Widget;

/**
 * The run panel's "Logged charts" section: one view per chart the run logged (spyglass.sklearn's, any sg.plot
 * chart), its latest version. A view is rebuilt only when its key points at another table file.
 */
export class LoggedChartsSection {
  readonly node = document.createElement('details');
  private readonly grid = document.createElement('div');
  private readonly count = document.createElement('span');
  private readonly views = new Map<string, { path: string; view: Widget }>();

  constructor(private readonly makeView: LoggedChartView) {
    this.node.className = 'jp-SpyglassSection jp-SpyglassLoggedCharts';
    this.node.open = true;
    this.node.hidden = true;
    const summary = document.createElement('summary');
    summary.className = 'jp-SpyglassSection-label';
    const title = document.createElement('span');
    title.className = 'jp-SpyglassSection-name';
    title.textContent = messages.loggedCharts;
    this.count.className = 'jp-SpyglassCount';
    summary.append(title, this.count);
    this.grid.className = 'jp-SpyglassLoggedCharts-grid';
    // Charts side by side as wide as a metric chart allows (the panel's stylesheet is not needed for it).
    Object.assign(this.grid.style, {
      display: 'grid',
      gap: '8px',
      gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))',
    });
    this.node.append(summary, this.grid);
  }

  get chartCount(): number {
    return this.views.size;
  }

  /** Shows exactly `charts`, in their order. */
  update(charts: LoggedChart[]): void {
    const wanted = new Map(charts.map((chart) => [chart.key, chart]));
    for (const [key, shown] of this.views) {
      if (wanted.get(key)?.path !== shown.path) {
        shown.view.dispose();
        this.views.delete(key);
      }
    }
    for (const chart of charts) {
      let shown = this.views.get(chart.key);
      if (!shown) {
        shown = { path: chart.path, view: this.makeView(chart) };
        shown.view.node.dataset.spyglassChartKey = chart.key;
        this.views.set(chart.key, shown);
      }
      this.grid.append(shown.view.node); // appending an attached node moves it: the grid follows `charts`
    }
    this.count.textContent = messages.sectionCount(this.views.size);
    this.node.hidden = this.views.size === 0;
    this.node.dataset.spyglassCharts = String(this.views.size);
  }

  dispose(): void {
    for (const { view } of this.views.values()) view.dispose();
    this.views.clear();
  }
}
