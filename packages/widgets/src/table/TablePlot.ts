import { Widget } from '@lumino/widgets';
import { type SqlEngine, type TableSource, toRows } from '@spyglass/store';
import type { TopLevelSpec } from 'vega-lite';
import { describeError } from '../errors.js';
import { embedChart } from '../vega-render.js';
import { tableText } from './messages.js';

/** Rows handed to Vega: enough for any sg.plot preset, few enough that a 1M-row table cannot stall the page. */
export const PLOT_MAX_ROWS = 20_000;

/**
 * The chart of an sg.plot / plot_table output: its Vega-Lite spec drawn over the table's rows, bound to the
 * named dataset `table`. The spec comes from the notebook (untrusted), so it runs like every Spyglass chart:
 * expression interpreter, a loader that refuses URLs, no actions.
 */
export class TablePlot extends Widget {
  constructor(
    private readonly engine: SqlEngine,
    private readonly source: TableSource,
    private readonly spec: Record<string, unknown>,
  ) {
    super();
    this.addClass('jp-SpyglassTablePlot');
    void this.draw();
  }

  private async draw(): Promise<void> {
    try {
      const result = await this.engine.query(`SELECT * FROM ${this.source.relation} LIMIT ${PLOT_MAX_ROWS}`);
      if (this.isDisposed) return;
      const rows = toRows(result);
      const chart = document.createElement('div');
      this.node.append(chart);
      if (this.source.nrows > rows.length) {
        const note = document.createElement('div');
        note.className = 'jp-SpyglassTablePlot-note';
        note.textContent = tableText.plotSampled(rows.length, this.source.nrows);
        this.node.append(note);
      }
      await embedChart(chart, withTableRows(this.spec, rows));
      this.node.dataset.spyglassPlotRows = String(rows.length);
    } catch (error) {
      if (this.isDisposed) return;
      const message = document.createElement('div');
      message.className = 'jp-SpyglassTablePlot-error';
      message.textContent = tableText.plotFailed(describeError(error));
      this.node.replaceChildren(message);
    }
  }
}

/** Binds `rows` to the dataset named `table` (the presets' data source), whatever data the spec named. */
function withTableRows(spec: Record<string, unknown>, rows: object[]): TopLevelSpec {
  const datasets = { ...(spec.datasets as Record<string, unknown> | undefined), table: rows };
  return { data: { name: 'table' }, ...spec, datasets } as unknown as TopLevelSpec;
}
