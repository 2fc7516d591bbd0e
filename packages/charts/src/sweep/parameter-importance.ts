import type { SweepSnapshot } from '@spyglass/protocol';
import type { TopLevelSpec } from 'vega-lite';
import { DEFAULT_HEAT_THEME, type HeatStripTheme } from '../histogram-strip.js';
import { metricTitle } from './trial-style.js';

/** Named dataset of the importance chart. */
export const IMPORTANCE_DATASET = 'importance';

export interface ImportanceRow {
  param: string;
  /** 0 for the most important parameter: the bars are sorted by it, so the order can change in place. */
  rank: number;
  importance: number | null;
  correlation: number | null;
  sign: 'positive' | 'negative' | null;
  /** Why a parameter has no correlation bar, written in its place (a blank row read as a drawing bug). */
  note: string | null;
}

/** The text shown instead of a correlation bar. */
export const NO_CORRELATION = {
  categorical: 'categories: no correlation',
  flat: 'no correlation (constant)',
} as const;

/** Rows of the importance chart, most important first (by forest importance, then |correlation|). */
export function parameterImportanceRows(snapshot: SweepSnapshot): ImportanceRow[] {
  const score = (r: { importance: number | null; correlation: number | null }) => [
    r.importance ?? -1,
    Math.abs(r.correlation ?? 0),
  ];
  const categorical = new Set(
    snapshot.sweep.parameters.filter((p) => p.kind === 'categorical').map((p) => p.name),
  );
  return [...(snapshot.importance ?? [])]
    .sort((a, b) => {
      const [ia, ca] = score(a);
      const [ib, cb] = score(b);
      return ib - ia || cb - ca || a.param.localeCompare(b.param);
    })
    .map((r, rank) => ({
      param: r.param,
      rank,
      importance: r.importance,
      correlation: r.correlation,
      sign: r.correlation === null ? null : r.correlation < 0 ? 'negative' : 'positive',
      note:
        r.correlation !== null
          ? null
          : categorical.has(r.param)
            ? NO_CORRELATION.categorical
            : NO_CORRELATION.flat,
    }));
}

export interface ParameterImportanceOptions {
  snapshot: SweepSnapshot;
  /** Width of each of the two bar charts. */
  width?: number;
  /** Height of one bar row. */
  rowHeight?: number;
  /** Colour of the text written in place of a missing bar (the widget passes the JupyterLab theme's). */
  theme?: Pick<HeatStripTheme, 'text'>;
}

/**
 * Two bar charts side by side over the same parameters: random-forest importance (0–1) and the correlation with
 * the metric (−1…1, coloured by sign). A parameter with no correlation (categories, or values that never vary)
 * says so in place of its bar.
 */
export function parameterImportanceSpec(options: ParameterImportanceOptions): TopLevelSpec {
  const { snapshot, width = 180, rowHeight = 18, theme = DEFAULT_HEAT_THEME } = options;
  const rows = parameterImportanceRows(snapshot);
  const y = {
    field: 'param',
    type: 'nominal' as const,
    title: null,
    sort: { field: 'rank', op: 'min' as const, order: 'ascending' as const },
    axis: { labelLimit: 160 },
  };
  const tooltip = [
    { field: 'param', type: 'nominal' as const, title: 'parameter' },
    { field: 'importance', type: 'quantitative' as const, title: 'importance', format: '.3f' },
    { field: 'correlation', type: 'quantitative' as const, title: 'correlation', format: '.3f' },
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'transparent',
    config: { view: { stroke: null } },
    datasets: { [IMPORTANCE_DATASET]: rows },
    data: { name: IMPORTANCE_DATASET },
    hconcat: [
      {
        width,
        height: { step: rowHeight },
        mark: { type: 'bar', color: '#4c78a8' },
        encoding: {
          y,
          x: {
            field: 'importance',
            type: 'quantitative',
            title: 'importance',
            scale: { domain: [0, 1] },
            axis: { format: '.1f', tickCount: 5 },
          },
          tooltip,
        },
      },
      {
        width,
        height: { step: rowHeight },
        encoding: { y: { ...y, axis: null } },
        layer: [
          {
            mark: { type: 'bar' },
            encoding: {
              x: {
                field: 'correlation',
                type: 'quantitative',
                title: `correlation with ${metricTitle(snapshot.sweep.metric)}`,
                scale: { domain: [-1, 1] },
                axis: { format: '.1f', tickCount: 5 },
              },
              color: {
                field: 'sign',
                type: 'nominal',
                scale: { domain: ['positive', 'negative'], range: ['#54a24b', '#e45756'] },
                legend: null,
              },
              tooltip,
            },
          },
          {
            transform: [{ filter: 'isValid(datum.note)' }],
            mark: { type: 'text', align: 'center', fontSize: 11, fontStyle: 'italic', color: theme.text },
            encoding: { x: { datum: 0 }, text: { field: 'note', type: 'nominal' } },
          },
        ],
      },
    ],
  };
}
