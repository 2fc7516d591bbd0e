import type { ChartPoint } from '@spyglass/charts';
import { embedChart } from '@spyglass/widgets/vega-render';
import type { View } from 'vega';
import { reportChartSpec, ZOOM_X_SIGNAL } from './chart-spec.js';
import { decodeSeries } from './decode.js';
import { messages } from './messages.js';
import type { ChartData } from './report-data.js';

/** Draws one embedded chart; the element records its series count and x domain for readers and tests. */
export async function renderChart(
  element: HTMLElement,
  chart: ChartData,
  block: Uint8Array,
  runNames: Record<string, string>,
  colors: Record<string, string>,
  dark: boolean,
): Promise<View | null> {
  const points: ChartPoint[] = [];
  for (const ref of chart.series) {
    const { x, y } = decodeSeries(block, ref);
    for (let i = 0; i < x.length; i++) points.push({ step: x[i], value: y[i], run: ref.run });
  }
  const runs = chart.series.map((s) => s.run);
  element.dataset.seriesCount = String(runs.length);
  const spec = reportChartSpec({
    metric: chart.metric,
    xTitle: chart.x_title,
    runs,
    runNames,
    points,
    colors,
    dark,
  });
  try {
    const view = await embedChart(element, spec);
    // The zoom signal holds the zoomed [min, max] of x; it is empty once a double-click resets the zoom.
    const recordDomain = (_name?: string, zoomed?: unknown) => {
      const domain = Array.isArray(zoomed) && zoomed.length === 2 ? zoomed : view.scale('x').domain();
      element.dataset.xDomain = JSON.stringify(domain);
    };
    recordDomain();
    view.addSignalListener(ZOOM_X_SIGNAL, recordDomain);
    element.dataset.rendered = 'true';
    return view;
  } catch (error) {
    element.textContent = messages.chartFailed(
      chart.metric,
      error instanceof Error ? error.message : String(error),
    );
    element.classList.add('sg-error');
    return null;
  }
}
