import { renderChart } from './ChartView.js';
import { distinctRunColors } from './chart-spec.js';
import { base64Bytes, inflate } from './decode.js';
import { ReportDataError } from './errors.js';
import { renderMarkdown, svgImage } from './markdown.js';
import { messages } from './messages.js';
import { renderPlot } from './PlotView.js';
import {
  type Block,
  type ChartsBlock,
  type PlotBlock,
  REPORT_FORMAT,
  type ReportDocument,
  type SweepBlock,
} from './report-data.js';
import { renderSweep } from './SweepView.js';
import { renderTable } from './TableView.js';
import { renderContents, renderTitleBlock } from './title-block.js';

const DOC_ELEMENT = 'sg-report-doc';
const SERIES_ELEMENT = 'sg-report-series';

async function embedded(id: string): Promise<Uint8Array> {
  const text = document.getElementById(id)?.textContent;
  if (text === undefined || text === null) throw new ReportDataError(`element #${id} is missing`);
  return inflate(base64Bytes(text));
}

type PendingChart = { element: HTMLElement; block: ChartsBlock; index: number };
type PendingPlot = { element: HTMLElement; block: PlotBlock };
type PendingSweep = { element: HTMLElement; block: SweepBlock };
type Pending = { charts: PendingChart[]; plots: PendingPlot[]; sweeps: PendingSweep[] };

function heading(text: string): HTMLElement {
  const element = document.createElement('h4');
  element.textContent = text;
  return element;
}

function holder(className: string): HTMLElement {
  const element = document.createElement('div');
  element.className = className;
  return element;
}

function note(text: string): HTMLElement {
  const element = document.createElement('p');
  element.className = 'sg-note';
  element.textContent = text;
  return element;
}

function blockElement(block: Block, { charts, plots, sweeps }: Pending) {
  const section = document.createElement('section');
  section.className = `sg-block sg-${block.kind}`;
  switch (block.kind) {
    case 'markdown':
      section.append(renderMarkdown(block.text));
      break;
    case 'code': {
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      summary.textContent = messages.code(block.execution_count);
      const pre = document.createElement('pre');
      pre.textContent = block.source;
      details.append(summary, pre);
      section.append(details);
      break;
    }
    case 'text': {
      const pre = document.createElement('pre');
      pre.textContent = block.text;
      section.append(pre);
      break;
    }
    case 'image': {
      const img = document.createElement('img');
      img.src = `data:${block.mime};base64,${block.data}`;
      img.alt = '';
      section.append(img);
      break;
    }
    case 'svg':
      section.append(svgImage(block.svg));
      break;
    case 'notice': {
      section.append(note(block.text));
      if (block.detail) {
        const pre = document.createElement('pre');
        pre.textContent = block.detail;
        section.append(pre);
      }
      break;
    }
    case 'table': {
      section.append(heading(block.title), renderTable(block));
      break;
    }
    case 'plot': {
      const element = holder('sg-plot-chart');
      plots.push({ element, block });
      // The table stays below the chart, sortable and filterable like any table output.
      section.append(heading(block.title), element, renderTable(block.table));
      break;
    }
    case 'sweep': {
      const element = holder('sg-sweep-charts');
      sweeps.push({ element, block });
      section.append(heading(block.title), ...(block.note ? [note(block.note)] : []), element);
      break;
    }
    case 'charts': {
      const grid = holder('sg-chart-grid');
      block.charts.forEach((chart, index) => {
        const element = holder('sg-chart');
        element.dataset.chartId = chart.id;
        element.dataset.metric = chart.metric;
        if (chart.series.some((s) => s.m4)) element.title = messages.downsampled;
        grid.append(element);
        charts.push({ element, block, index });
      });
      section.append(heading(block.title), note(messages.chartHelp), grid);
      if (block.note) section.append(note(block.note));
      break;
    }
  }
  return section;
}

async function main(): Promise<void> {
  const root = document.getElementById('sg-report');
  if (!root) return;
  try {
    const doc = JSON.parse(new TextDecoder().decode(await embedded(DOC_ELEMENT))) as ReportDocument;
    if (doc.format !== REPORT_FORMAT) throw new ReportDataError(messages.wrongFormat(String(doc.format)));
    const series = await embedded(SERIES_ELEMENT);
    const content = document.createElement('main');
    const pending: Pending = { charts: [], plots: [], sweeps: [] };
    const { charts, plots, sweeps } = pending;
    for (const block of doc.blocks) content.append(blockElement(block, pending));
    // A notebook that opens with its title as a heading would show it twice, under the title block.
    const opening = content.querySelector('section.sg-markdown:first-child > h1:first-child');
    if (opening?.textContent?.trim() === doc.title.title.trim()) opening.remove();
    const contents = renderContents(content);
    root.replaceChildren(renderTitleBlock(doc.title), ...(contents ? [contents] : []), content);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const views = new Map<HTMLElement, { finalize(): void }>();
    const sweepViews = new Map<HTMLElement, { finalize(): void }[]>();
    const drawCharts = async () => {
      for (const { element, block, index } of charts) {
        views.get(element)?.finalize(); // removes the old view's listeners and timers
        const names = Object.fromEntries(block.runs.map((r) => [r.id, r.name]));
        const colors = distinctRunColors(block.runs.map((r) => r.id));
        element.replaceChildren();
        const view = await renderChart(element, block.charts[index], series, names, colors, scheme.matches);
        if (view) views.set(element, view);
      }
      for (const { element, block } of sweeps) {
        for (const view of sweepViews.get(element) ?? []) view.finalize();
        sweepViews.set(element, await renderSweep(element, block, scheme.matches));
      }
    };
    await drawCharts();
    for (const { element, block } of plots) await renderPlot(element, block);
    // Axis and legend colours are baked into each spec, so a switch of the system theme redraws the charts.
    scheme.addEventListener('change', () => void drawCharts());
    root.dataset.ready = 'true';
  } catch (error) {
    const message = document.createElement('p');
    message.className = 'sg-error';
    message.textContent = messages.badData(error instanceof Error ? error.message : String(error));
    root.replaceChildren(message);
    root.dataset.ready = 'error';
  }
}

void main();
