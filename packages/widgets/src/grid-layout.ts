/** Column count and per-chart width (axes included) for the small-multiples grid of a panel `gridWidth` pixels wide. */
export interface GridLayout {
  columns: number;
  plotWidth: number;
}

const GAP = 12;
/** A cell's horizontal padding; the chart (axes included, autosize fit-x) fills the rest. */
const CELL_PADDING = 16;
const FALLBACK_WIDTH = 720;

/** 1 column below 520 px, 2 up to 900 px, 3 beyond: charts stay readable at notebook widths. */
export function gridLayout(gridWidth: number): GridLayout {
  const width = gridWidth > 0 ? gridWidth : FALLBACK_WIDTH;
  const columns = width < 520 ? 1 : width < 900 ? 2 : 3;
  const cell = (width - GAP * (columns - 1)) / columns;
  return { columns, plotWidth: Math.max(120, Math.floor(cell - CELL_PADDING)) };
}
