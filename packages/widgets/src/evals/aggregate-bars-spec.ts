import { RUN_PALETTE } from '@spyglass/charts';
import type { TopLevelSpec } from 'vega-lite';
import type { BarRow } from './eval-compare-state.js';

/** Named dataset of the aggregate chart. */
export const BARS_DATASET = 'bars';

/** Colours the chart takes from the page's theme (JupyterLab CSS variables); defaults read on light and dark. */
export interface BarsTheme {
  text: string;
  line: string;
}

export const DEFAULT_BARS_THEME: BarsTheme = { text: '#616161', line: '#bdbdbd' };

/**
 * Grouped horizontal bars: one group per score, one bar per evaluation (in the comparison's order, coloured by
 * position in the run palette), the mean on x. Scores that are booleans read as the share of true.
 */
export function aggregateBarsSpec(
  rows: readonly BarRow[],
  evaluations: readonly string[],
  theme: BarsTheme = DEFAULT_BARS_THEME,
  width = 360,
): TopLevelSpec {
  const highest = Math.max(1, ...rows.map((r) => r.mean));
  const axis = {
    labelColor: theme.text,
    titleColor: theme.text,
    domainColor: theme.line,
    tickColor: theme.line,
    gridColor: theme.line,
    gridOpacity: 0.4,
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'transparent',
    width,
    height: { step: 14 },
    datasets: { [BARS_DATASET]: rows.map((r) => ({ ...r })) },
    data: { name: BARS_DATASET },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'score', type: 'nominal', title: null, sort: null, axis: { labelLimit: 180 } },
      yOffset: { field: 'evaluation', type: 'nominal', sort: [...evaluations] },
      x: { field: 'mean', type: 'quantitative', title: 'mean score', scale: { domain: [0, highest] } },
      color: {
        field: 'evaluation',
        type: 'nominal',
        title: null,
        scale: {
          domain: [...evaluations],
          range: evaluations.map((_, i) => RUN_PALETTE[i % RUN_PALETTE.length]),
        },
        legend: { orient: 'bottom', direction: 'vertical', labelLimit: 400 },
      },
      tooltip: [
        { field: 'evaluation', type: 'nominal', title: 'evaluation' },
        { field: 'score', type: 'nominal', title: 'score' },
        { field: 'mean', type: 'quantitative', title: 'mean', format: '.4~g' },
        { field: 'count', type: 'quantitative', title: 'scored examples' },
      ],
    },
    config: {
      axis,
      legend: { labelColor: theme.text, titleColor: theme.text },
      view: { stroke: null },
    },
  } as TopLevelSpec;
}
