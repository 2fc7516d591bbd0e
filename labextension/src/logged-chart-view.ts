import { Widget } from '@lumino/widgets';
import type { LoggedChart } from '@spyglass/charts';
import type { RunHub } from '@spyglass/store';
import { registerParquet, releaseSource, type SqlEngine, type TableSource } from '@spyglass/store';
import {
  describeError,
  type LoggedChartView,
  loadParquetCodec,
  TablePlot,
  tableText,
} from '@spyglass/widgets';
import { parquetWasmUrl } from './parquet-assets.js';
import type { StoreClient } from './StoreClient.js';

/** The run panel's views of a run's logged charts: each reads its table file through the server and draws it. */
export function loggedChartViews(hub: RunHub, client: StoreClient, runDir: string): LoggedChartView {
  return (chart) => new LoggedChartWidget(hub, client, runDir, chart);
}

/** One logged chart: its table registered in the page's table engine, drawn by TablePlot (interpreter Vega). */
class LoggedChartWidget extends Widget {
  private engine: SqlEngine | null = null;
  private source: TableSource | null = null;
  private plot: TablePlot | null = null;

  constructor(
    private readonly hub: RunHub,
    private readonly client: StoreClient,
    private readonly runDir: string,
    private readonly chart: LoggedChart,
  ) {
    super();
    this.addClass('jp-SpyglassLoggedChart');
    this.node.textContent = tableText.loading;
    void this.load();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.plot?.dispose();
    if (this.engine && this.source) void releaseSource(this.engine, this.source);
    super.dispose();
  }

  private async load(): Promise<void> {
    try {
      const [engine, codec, bytes] = await Promise.all([
        this.hub.tableEngine(),
        loadParquetCodec(parquetWasmUrl()),
        this.client.file(this.runDir, this.chart.path),
      ]);
      const source = await registerParquet(engine, bytes, codec);
      if (this.isDisposed) {
        void releaseSource(engine, source);
        return;
      }
      this.engine = engine;
      this.source = source;
      this.plot = new TablePlot(engine, source, this.chart.spec);
      this.node.replaceChildren(this.plot.node);
    } catch (error) {
      if (this.isDisposed) return;
      console.error('Spyglass: cannot show logged chart', this.chart.key, error);
      this.node.textContent = tableText.loadFailed(describeError(error));
    }
  }
}
