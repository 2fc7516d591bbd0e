import { parseSweepSnapshot } from '@spyglass/protocol';
import { embedChart } from '@spyglass/widgets/vega-render';
import type { View } from 'vega';
import { messages } from './messages.js';
import type { SweepBlock } from './report-data.js';
import { sweepChartSpecs } from './sweep-charts.js';

/**
 * Draws a sweep block's charts into `element` (emptied first) and returns their views. Each chart element
 * records its name and `data-rendered`; a chart that fails shows why in its place and the others still draw.
 */
export async function renderSweep(element: HTMLElement, block: SweepBlock, dark: boolean): Promise<View[]> {
  element.replaceChildren();
  let specs: ReturnType<typeof sweepChartSpecs>;
  try {
    specs = sweepChartSpecs(parseSweepSnapshot(block.snapshot), dark);
  } catch (error) {
    element.textContent = messages.sweepUnreadable(error instanceof Error ? error.message : String(error));
    element.classList.add('sg-error');
    return [];
  }
  const views: View[] = [];
  for (const { name, title, spec, wide } of specs) {
    const figure = document.createElement('figure');
    figure.className = wide ? 'sg-sweep-chart sg-wide' : 'sg-sweep-chart';
    const caption = document.createElement('figcaption');
    caption.textContent = title;
    const chart = document.createElement('div');
    chart.dataset.sweepChart = name;
    figure.append(caption, chart);
    element.append(figure);
    try {
      views.push(await embedChart(chart, spec));
      chart.dataset.rendered = 'true';
    } catch (error) {
      chart.textContent = messages.chartFailed(title, error instanceof Error ? error.message : String(error));
      chart.classList.add('sg-error');
    }
  }
  return views;
}
