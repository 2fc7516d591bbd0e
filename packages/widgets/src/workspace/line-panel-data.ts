import {
  assignedRunColor,
  type BandRow,
  type DrawnLine,
  drawnLineOf,
  workspaceLineSpec,
} from '@spyglass/charts';
import type { TopLevelSpec } from 'vega-lite';
import { type ChartContext, stepMetricOf, xTitleOf } from './chart-context.js';
import type { LinePlotOptions } from './LinePlotView.js';
import { workspaceMessages as text } from './workspace-messages.js';

/** What a line panel shows, as its data attributes report it to tests and users' scripts. */
export interface LineStats {
  /** Lines (runs or groups) with at least one point. */
  lines: number;
  /** Points of the longest line. */
  maxPoints: number;
  points: number;
  groups: number;
  yMax: number;
}

/** A line panel's drawing: per-run lines for the canvas layer, or (grouped) a bands spec drawn by Vega. */
export type LineDrawing =
  | {
      kind: 'lines';
      options: LinePlotOptions;
      lines: DrawnLine[];
      /** The zoomed x range in display units (as the lines' xs), or null. */
      range: [number, number] | null;
      stats: LineStats;
      notice?: string;
    }
  | {
      kind: 'bands';
      key: string;
      spec: TopLevelSpec;
      bands: BandRow[];
      /** Group keys in legend order (their colours are palette slots in this order). */
      groups: string[];
      stats: LineStats;
      notice?: string;
    };

/**
 * Queries one metric for the runs (or groups) of `context` over `range` in `buckets` M4 buckets and shapes the
 * answer for drawing. Wall time is shown in epoch milliseconds (Vega's temporal unit); ranges stay in seconds.
 */
export async function lineDrawing(
  metric: string,
  context: ChartContext,
  view: { width: number; height: number; buckets: number; range: [number, number] | null },
): Promise<LineDrawing> {
  const { settings, data } = context;
  const xMetric = stepMetricOf(settings.xAxis);
  const runIds = context.runs.filter((r) => r.metrics.includes(metric)).map((r) => r.run_id);
  // The chart's axis picks the server overview fetched first, so a wall or relative chart paints from it too.
  await data.loadMetric(metric, { xAxis: settings.xAxis, ...(xMetric ? { xMetric } : {}) });
  const wall = settings.xAxis === 'wall';
  const toDisplay = (x: number) => (wall ? x * 1000 : x);
  const smoothing = settings.smoothing > 0 ? { ema: settings.smoothing } : undefined;
  const query = {
    metric,
    xAxis: settings.xAxis,
    range: view.range ?? undefined,
    buckets: view.buckets,
    smoothing,
  };
  const options: LinePlotOptions = {
    metric,
    runs: runIds,
    colors: Object.fromEntries(runIds.map((id) => [id, assignedRunColor(id, context.colors)])),
    labels: context.labels,
    titleAndLegend: false,
    xType: wall ? 'temporal' : 'quantitative',
    xTitle: xTitleOf(settings.xAxis),
    logX: settings.logX,
    logY: settings.logY,
    smoothing: smoothing !== undefined,
    width: view.width,
    height: view.height,
  };
  const emptyNotice = runIds.length === 0 ? text.noRunsToChart : undefined;
  const groups =
    context.groups
      ?.map((g) => ({ key: g.key, runIds: g.runIds.filter((id) => runIds.includes(id)) }))
      .filter((g) => g.runIds.length > 0) ?? null;

  if (groups) {
    const result = await data.groupBands({ ...query, groups });
    const bands: BandRow[] = result.flatMap((band) =>
      band.points.map((p) => ({ group: band.key, x: toDisplay(p.x), min: p.min, max: p.max, mean: p.mean })),
    );
    const counts = result.map((band) => band.points.length);
    const groupKeys = groups.map((g) => g.key);
    return {
      kind: 'bands',
      key: JSON.stringify([options, groupKeys]),
      spec: workspaceLineSpec({ ...options, groups: groupKeys, highlight: context.highlight }),
      bands,
      groups: groupKeys,
      stats: statsOf(counts, bands.length, groups.length, Number.NEGATIVE_INFINITY),
      notice: emptyNotice ?? (bands.length === 0 && runIds.length > 0 ? text.allNaN(metric) : undefined),
    };
  }
  const series = runIds.length > 0 ? await data.lineSeries({ ...query, runIds }) : [];
  const lines = series.map((s) =>
    drawnLineOf(s.runId, s.points, smoothing ? (s.raw ?? null) : null, toDisplay),
  );
  let points = 0;
  let yMax = Number.NEGATIVE_INFINITY;
  for (const line of lines) {
    points += line.xs.length;
    for (const y of line.ys) if (y > yMax) yMax = y;
  }
  const allNaN = points === 0 && series.some((s) => s.emptyReason !== null);
  return {
    kind: 'lines',
    options,
    lines,
    range: view.range ? [toDisplay(view.range[0]), toDisplay(view.range[1])] : null,
    stats: statsOf(
      series.map((s) => s.points.length),
      points,
      0,
      yMax,
    ),
    notice: emptyNotice ?? (allNaN ? text.allNaN(metric) : undefined),
  };
}

function statsOf(counts: number[], points: number, groups: number, yMax: number): LineStats {
  return {
    lines: counts.filter((n) => n > 0).length,
    maxPoints: counts.length ? Math.max(...counts) : 0,
    points,
    groups,
    yMax,
  };
}
