import { type ChartPoint, clampRange, linesExtent, type Range } from '@spyglass/charts';
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
  const extent = linesExtent([{ xs: points.map((p) => p.step) }]);
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
    // The zoom signal holds the zoomed [min, max] of x; it is empty once a double-click resets the zoom. A zoom or
    // pan past the data is put back within it (null: the whole data, as after a reset).
    const record = (range: Range | null) => {
      element.dataset.xDomain = JSON.stringify(range ?? view.scale('x').domain());
    };
    const recordDomain = (_name?: string, zoomed?: unknown) => {
      const range = Array.isArray(zoomed) && zoomed.length === 2 ? (zoomed.map(Number) as Range) : null;
      const clamped = clampRange(range, extent);
      if (range && (clamped === null || clamped[0] !== range[0] || clamped[1] !== range[1])) {
        // Set once this dataflow run is over (a listener runs inside it).
        setTimeout(() => {
          view
            .signal(ZOOM_X_SIGNAL, clamped)
            .runAsync()
            .then(() => record(clamped))
            .catch(() => undefined);
        }, 0);
        return;
      }
      record(range);
    };
    record(null);
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
