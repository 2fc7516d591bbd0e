import { sanitizeVegaSpec } from '@spyglass/charts';
import { embedChart } from '@spyglass/widgets/vega-render';
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { messages } from './messages.js';
import type { PlotBlock } from './report-data.js';

/** The named dataset a plot spec reads (`"data": {"name": "table"}`), as sg.plot and sg.plot_table write it. */
const DATASET = 'table';

/**
 * Draws a plot output's Vega-Lite spec over its embedded rows. The spec comes from the notebook's data: it is
 * drawn through embedChart (sanitized spec and rows, expression interpreter, loader refusing every URL), and a
 * spec naming data by URL is refused before Vega sees it, so nothing is fetched whatever the spec says.
 */
export async function renderPlot(element: HTMLElement, block: PlotBlock): Promise<View | null> {
  try {
    if (sanitizeVegaSpec(block.spec).remoteData !== null) throw new Error(messages.remoteData);
    const { columns, data } = block.table;
    const count = data[0]?.length ?? 0;
    const rows = Array.from({ length: count }, (_, r) =>
      Object.fromEntries(columns.map((column, c) => [column.name, data[c][r]])),
    );
    const datasets = { ...(block.spec.datasets as object | undefined), [DATASET]: rows };
    const spec = { ...block.spec, datasets } as unknown as TopLevelSpec;
    const view = await embedChart(element, spec);
    element.dataset.rendered = 'true';
    element.dataset.rows = String(count);
    return view;
  } catch (error) {
    element.textContent = messages.chartFailed(
      block.title,
      error instanceof Error ? error.message : String(error),
    );
    element.classList.add('sg-error');
    return null;
  }
}
