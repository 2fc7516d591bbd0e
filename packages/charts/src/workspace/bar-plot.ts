import type { TopLevelSpec } from 'vega-lite';
import { LINE_PARAMS } from './line-plot.js';
import { RUN_NAME_TRANSFORM, type RunPlotOptions, runMarkEncoding, runPlotFrame } from './scatter-plot.js';

/**
 * One horizontal bar per run for a run column (rows use `x` for the value; `y` is ignored). Bars are keyed by run
 * id, not name, so two runs of the same name stay two bars; the axis shows names.
 */
export function barSpec(options: Omit<RunPlotOptions, 'yTitle' | 'logY'>): TopLevelSpec {
  const rowHeight = 16;
  return {
    ...runPlotFrame({ ...options, yTitle: '', height: Math.max(80, options.runs.length * rowHeight) }),
    transform: [{ filter: `isFinite(datum.x)${options.logX ? ' && datum.x > 0' : ''}` }, RUN_NAME_TRANSFORM],
    mark: { type: 'bar' },
    encoding: {
      y: {
        field: 'run',
        type: 'nominal',
        title: null,
        sort: { field: 'x', order: 'descending' },
        axis: { labelExpr: `${LINE_PARAMS.labels}[datum.value] || datum.value`, labelLimit: 160 },
      },
      x: {
        field: 'x',
        type: 'quantitative',
        title: options.xTitle,
        ...(options.logX ? { scale: { type: 'log' } } : {}),
      },
      ...runMarkEncoding(options.runs, options.colors),
      tooltip: [
        { field: 'run_name', type: 'nominal', title: 'run' },
        { field: 'x', type: 'quantitative', title: options.xTitle, format: '.6~g' },
      ],
    },
  } as TopLevelSpec;
}
