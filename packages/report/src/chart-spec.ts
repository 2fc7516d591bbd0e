import { type ChartPoint, lineChartSpec, RUN_PALETTE, runColor } from '@spyglass/charts';
import type { TopLevelSpec } from 'vega-lite';

/** Names of the selection parameters a report chart declares (tests and the page read them). */
export const ZOOM_PARAM = 'zoom';
/** The signal holding the zoomed x domain: Vega-Lite names it after the param and the x field ('step'). */
export const ZOOM_X_SIGNAL = `${ZOOM_PARAM}_step`;
export const LEGEND_PARAM = 'legend_pick';
export const HOVER_PARAM = 'hover_run';

export interface ReportChartOptions {
  metric: string;
  xTitle: string;
  /** Run ids in legend order. */
  runs: string[];
  /** Legend labels by run id (names may repeat or hold markup; Vega draws them as SVG text). */
  runNames: Record<string, string>;
  points: ChartPoint[];
  /** Colours by run id (see distinctRunColors); runs missing here get their hashed colour. */
  colors?: Record<string, string>;
  dark: boolean;
}

/**
 * Each run's hashed colour (the same as in JupyterLab), except that a run whose colour is already taken in this
 * group gets the first free palette colour: with ten colours, four runs collide often enough to mislead a reader.
 */
export function distinctRunColors(runs: string[]): Record<string, string> {
  const used = new Set<string>();
  const colors: Record<string, string> = {};
  for (const run of runs) {
    let color = runColor(run);
    if (used.has(color)) color = RUN_PALETTE.find((c) => !used.has(c)) ?? color;
    used.add(color);
    colors[run] = color;
  }
  return colors;
}

/**
 * Only Ctrl/⌘+wheel (and a touchpad pinch, which browsers send as one) zooms; a plain wheel is left to the page,
 * so scrolling a report never gets stuck on a chart.
 */
export const ZOOM_WHEEL = 'wheel![event.ctrlKey || event.metaKey]';

/**
 * The run panel's line chart plus the report's interactions: Ctrl/⌘+wheel zoom and drag pan on x (interval bound to
 * the scales, double-click resets; the page keeps the zoom within the data, see ChartView), a legend click that keeps one run (shift-click adds more) and hover that
 * thickens the run under the pointer.
 */
export function reportChartSpec(options: ReportChartOptions): TopLevelSpec {
  const { metric, xTitle, runs, runNames, points, dark } = options;
  const colors = options.colors ?? distinctRunColors(runs);
  const base = lineChartSpec({ metric, xTitle, runs, points, height: 220 }) as unknown as Record<
    string,
    unknown
  >;
  const encoding = { ...(base.encoding as Record<string, unknown>) };
  const color = { ...(encoding.color as Record<string, unknown>) };
  // Legend labels show run names while colours still key on ids (two runs may share a name).
  const labels = runs.map((id) => [id, runNames[id] ?? id]);
  const labelExpr = labels.length
    ? labels.reduceRight(
        (rest, [id, name]) => `datum.value === ${JSON.stringify(id)} ? ${JSON.stringify(name)} : ${rest}`,
        'datum.label',
      )
    : 'datum.label';
  if (runs.length > 0) color.scale = { domain: runs, range: runs.map((id) => colors[id] ?? runColor(id)) };
  if (color.legend !== null) color.legend = { ...(color.legend as object), labelExpr, title: 'run' };
  encoding.color = color;
  const params: Record<string, unknown>[] = [
    { name: ZOOM_PARAM, select: { type: 'interval', encodings: ['x'], zoom: ZOOM_WHEEL }, bind: 'scales' },
    { name: HOVER_PARAM, select: { type: 'point', fields: ['run'], on: 'pointerover', clear: 'pointerout' } },
  ];
  if (runs.length > 1) {
    params.push({ name: LEGEND_PARAM, select: { type: 'point', fields: ['run'] }, bind: 'legend' });
    encoding.opacity = { condition: { param: LEGEND_PARAM, value: 1 }, value: 0.12 };
  }
  encoding.strokeWidth = { condition: { param: HOVER_PARAM, empty: false, value: 3 }, value: 1.5 };
  encoding.tooltip = [
    { field: 'name', type: 'nominal', title: 'run' },
    ...((base.encoding as { tooltip: object[] }).tooltip.slice(1) as object[]),
  ];
  return {
    ...base,
    datasets: {
      [Object.keys(base.datasets as object)[0]]: points.map((p) => ({
        ...p,
        name: runNames[p.run] ?? p.run,
      })),
    },
    params,
    encoding,
    config: themeConfig(dark),
  } as unknown as TopLevelSpec;
}

/** Axis, legend and title colours of a report chart on the light or the dark page. */
export function themeConfig(dark: boolean): Record<string, unknown> {
  const text = dark ? '#d4d4d4' : '#333333';
  const grid = dark ? '#3a3a3a' : '#e6e6e6';
  return {
    axis: { labelColor: text, titleColor: text, gridColor: grid, domainColor: grid, tickColor: grid },
    legend: { labelColor: text, titleColor: text, labelLimit: 220 },
    title: { color: text },
    view: { stroke: null },
  };
}
