import type { ColumnSummary } from '@spyglass/store';
import { parseMediaReference } from '@spyglass/store';
import type { View } from 'vega';
import { button, el } from '../dom.js';
import { describeError } from '../errors.js';
import { embedChart } from '../vega-render.js';
import { setCellText } from './cell-text.js';
import { renderMediaCell } from './media-cells.js';
import type { BlobUrlCache } from './media-loader.js';
import { tableText } from './messages.js';
import type { PreviewOverlay } from './PreviewOverlay.js';

const fmt = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const show = (v: number | null) => (v === null ? '–' : fmt.format(v));

/** A column's summary under its header: histogram (Vega), top values with bars, or media kinds and samples. */
export class SummaryPopover {
  readonly node: HTMLDivElement;
  private view: View | null = null;

  constructor(
    private readonly doc: Document,
    private readonly blobs: BlobUrlCache,
    private readonly preview: PreviewOverlay,
  ) {
    this.node = el(doc, 'div', 'sg-table-summary');
    this.node.hidden = true;
  }

  loading(column: string, left: number): void {
    this.open(column, left);
    this.node.append(el(this.doc, 'div', 'sg-table-muted', tableText.loading));
  }

  failed(column: string, error: unknown): void {
    this.open(column, Number.parseFloat(this.node.style.left) || 0);
    this.node.append(el(this.doc, 'div', 'sg-table-error', tableText.queryFailed(describeError(error))));
  }

  show(summary: ColumnSummary, left: number): void {
    this.open(summary.column, left);
    const body = el(this.doc, 'div', 'sg-table-summary-body');
    this.node.append(body);
    if (summary.kind === 'number') {
      body.append(
        el(
          this.doc,
          'div',
          'sg-table-muted',
          tableText.summaryNumber(show(summary.min), show(summary.max), show(summary.mean), summary.nulls),
        ),
      );
      const chart = el(this.doc, 'div', 'sg-table-summary-chart');
      body.append(chart);
      embedChart(chart, {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 260,
        height: 90,
        data: { values: summary.bins.map((b) => ({ start: b.start, end: b.end, count: b.count })) },
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'start', type: 'quantitative', bin: { binned: true }, title: null },
          x2: { field: 'end' },
          y: { field: 'count', type: 'quantitative', title: null },
        },
      })
        .then((view) => {
          this.view = view;
        })
        .catch((error) => chart.replaceChildren(el(this.doc, 'div', 'sg-table-error', describeError(error))));
    } else if (summary.kind === 'text') {
      body.append(
        el(this.doc, 'div', 'sg-table-muted', tableText.summaryText(summary.distinct, summary.nulls)),
      );
      const max = Math.max(1, ...summary.top.map((t) => t.count));
      for (const top of summary.top) {
        const row = el(this.doc, 'div', 'sg-table-topvalue');
        const bar = el(this.doc, 'span', 'sg-table-topbar');
        bar.style.width = `${Math.round((100 * top.count) / max)}%`;
        const label = el(this.doc, 'span', 'sg-table-toplabel');
        setCellText(label, top.value.length > 80 ? `${top.value.slice(0, 80)}…` : top.value);
        row.append(bar, label, el(this.doc, 'span', 'sg-table-topcount', fmt.format(top.count)));
        body.append(row);
      }
    } else {
      body.append(
        el(
          this.doc,
          'div',
          'sg-table-muted',
          tableText.summaryMedia(
            summary.mediaKinds.map((k) => `${k.kind} ${fmt.format(k.count)}`).join(', '),
          ),
        ),
      );
      const strip = el(this.doc, 'div', 'sg-table-summary-media');
      for (const sample of summary.samples) {
        const media = parseMediaReference(sample);
        if (!media) continue;
        const cell = el(this.doc, 'div', 'sg-table-summary-thumb');
        renderMediaCell(cell, media, this.blobs, (m) => this.preview.showMedia(m));
        strip.append(cell);
      }
      body.append(strip);
    }
  }

  close(): void {
    this.view?.finalize();
    this.view = null;
    this.node.hidden = true;
    this.node.replaceChildren();
  }

  private open(column: string, left: number): void {
    this.close();
    this.node.hidden = false;
    this.node.style.left = `${left}px`;
    const bar = el(this.doc, 'div', 'sg-table-summary-title');
    const name = el(this.doc, 'span');
    setCellText(name, column);
    bar.append(
      name,
      button(this.doc, '×', () => this.close(), 'sg-table-icon'),
    );
    this.node.append(bar);
  }
}
