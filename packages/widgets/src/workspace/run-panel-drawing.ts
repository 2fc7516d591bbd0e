import {
  barSpec,
  customPanelSpec,
  numericValue,
  type PlannedPanel,
  QUERY_DATASET,
  RUN_POINTS_DATASET,
  type RunPointRow,
  scatterSpec,
  type TableRun,
} from '@spyglass/charts';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartContext } from './chart-context.js';
import { workspaceMessages as text } from './workspace-messages.js';

/** A panel drawn wholly by Vega: its spec, the rows of its datasets, and what its data attributes report. */
export interface VegaDrawing {
  kind: 'vega';
  /** Same key: the view is kept and only its rows are replaced. */
  key: string;
  spec: TopLevelSpec;
  datasets: Record<string, object[]>;
  /** data-* attributes of the panel (rows or points shown), for tests and scripts. */
  attributes: Record<string, string>;
  notice?: string;
}

/**
 * The drawing of a scatter, bar or custom panel: per-run values from the runs table's columns (scatter, bar) or
 * the rows of the panel's SQL over the filtered runs (custom).
 */
export async function runPanelDrawing(
  panel: PlannedPanel,
  title: string,
  context: ChartContext,
  size: { width: number; height: number },
): Promise<VegaDrawing> {
  const p = panel;
  if (p.kind === 'line') throw new Error('line panels are drawn by lineDrawing');
  if (p.kind === 'histogram') throw new Error('histogram panels are drawn by HistogramPanel');
  if (p.kind === 'custom') {
    await context.visibleRunsView;
    const rows = await context.data.sql(p.sql);
    return {
      kind: 'vega',
      key: JSON.stringify(p.spec),
      spec: customPanelSpec(p.spec, []),
      datasets: { [QUERY_DATASET]: rows },
      attributes: { rows: String(rows.length) },
    };
  }
  const byId = new Map(context.columns.map((c) => [c.id, c]));
  const value = (id: string, run: TableRun) => {
    const column = byId.get(id);
    return column ? numericValue(column.value(run)) : null;
  };
  const runs = context.runs.map((r) => r.run_id);
  const common = {
    runs,
    colors: context.colors,
    labels: context.labels,
    highlight: context.highlight,
    showTitle: false,
    ...size,
  };
  const { logX, logY } = context.settings;
  if (p.kind === 'scatter') {
    const rows: RunPointRow[] = context.runs.flatMap((run) => {
      const x = value(p.x, run);
      const y = value(p.y, run);
      return x === null || y === null ? [] : [{ run: run.run_id, x, y }];
    });
    return {
      kind: 'vega',
      key: JSON.stringify(['scatter', runs, logX, logY]),
      spec: scatterSpec({ ...common, title, xTitle: p.x, yTitle: p.y, logX, logY }),
      datasets: { [RUN_POINTS_DATASET]: rows },
      attributes: { points: String(rows.length) },
      notice: rows.length === 0 ? text.notNumeric(`${p.x} / ${p.y}`) : undefined,
    };
  }
  const rows: RunPointRow[] = context.runs.flatMap((run) => {
    const x = value(p.column, run);
    return x === null ? [] : [{ run: run.run_id, x, y: 0 }];
  });
  return {
    kind: 'vega',
    key: JSON.stringify(['bar', runs, logX]),
    spec: barSpec({ ...common, title, xTitle: p.column, logX }),
    datasets: { [RUN_POINTS_DATASET]: rows },
    attributes: { points: String(rows.length) },
    notice: rows.length === 0 ? text.notNumeric(p.column) : undefined,
  };
}
