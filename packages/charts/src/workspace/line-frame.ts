import type { TopLevelSpec } from 'vega-lite';
import {
  brushParam,
  colorEncoding,
  lineAxes,
  lineChartFrame,
  type WorkspaceLineOptions,
} from './line-plot.js';

/** The frame's only data: the corners of the area the lines span, so Vega fits its scales and axes to them. */
export const EXTENT_DATASET = 'extent';

export interface ExtentRow {
  x: number;
  y: number;
}

/**
 * The Vega-Lite frame of a per-run line chart: title, axes, legend, the brush and the highlight/labels params,
 * scaled to two extent rows. The lines themselves are painted by the widget on a canvas through the view's own
 * scales: Vega would evaluate several interpreted expressions per vertex, which for 100 runs × 1000 points costs
 * most of a second per zoom, where a canvas path costs milliseconds.
 */
export function workspaceLineFrameSpec(
  options: WorkspaceLineOptions & { extent?: ExtentRow[] },
): TopLevelSpec {
  const { x, yScale } = lineAxes(options);
  return {
    ...lineChartFrame(options),
    datasets: { [EXTENT_DATASET]: options.extent ?? [] },
    layer: [
      {
        data: { name: EXTENT_DATASET },
        params: [brushParam()],
        // Invisible: the extent only sizes the scales (the legend sets its own symbol opacity).
        mark: { type: 'point' as const, opacity: 0, aria: false },
        encoding: {
          x,
          y: {
            field: 'y',
            type: 'quantitative' as const,
            title: null,
            scale: yScale,
            axis: { format: '~r' },
          },
          color: legendColor(options),
        },
      },
    ],
  } as TopLevelSpec;
}

function legendColor(options: WorkspaceLineOptions) {
  const color = colorEncoding('run', options.runs, options.titleAndLegend !== false, options.colors);
  return color.legend
    ? { ...color, legend: { ...color.legend, symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2 } }
    : color;
}

/** Extent rows for the lines drawn: the x range shown (the zoom, else the data's) and the y range of the data. */
export function lineExtent(
  lines: readonly { xs: ArrayLike<number>; ys: ArrayLike<number>; smoothed?: ArrayLike<number> | null }[],
  options: { range?: [number, number] | null; logX?: boolean; logY?: boolean },
): ExtentRow[] {
  const xOk = (v: number) => Number.isFinite(v) && (!options.logX || v > 0);
  const yOk = (v: number) => Number.isFinite(v) && (!options.logY || v > 0);
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const line of lines)
    for (const ys of [line.ys, line.smoothed ?? null]) {
      if (!ys) continue;
      for (let i = 0; i < ys.length; i++) {
        const xv = line.xs[i];
        const yv = ys[i];
        if (!xOk(xv) || !yOk(yv)) continue;
        if (xv < x0) x0 = xv;
        if (xv > x1) x1 = xv;
        if (yv < y0) y0 = yv;
        if (yv > y1) y1 = yv;
      }
    }
  if (y0 > y1) return [];
  const range = options.range;
  const [xa, xb] = range && xOk(range[0]) && xOk(range[1]) && range[0] < range[1] ? range : [x0, x1];
  return [
    { x: xa, y: y0 },
    { x: xb, y: y1 },
  ];
}
