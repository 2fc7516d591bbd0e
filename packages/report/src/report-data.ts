/**
 * The data a report embeds, as the Python builder (`spyglass/report/`) writes it: one JSON document (deflated,
 * base64) and one binary block of series values (deflated, base64). See docs/reports.md for the format.
 */

export const REPORT_FORMAT = 'spyglass-report/1';

export interface ReportRun {
  id: string;
  name: string;
  project: string;
  state: string;
  config: Record<string, unknown>;
}

export interface TitleBlock {
  title: string;
  authors: string[];
  date: string | null;
  projects: string[];
  runs: ReportRun[];
}

/** Where one series lies in the binary block: x then y, `n` points each. */
export interface SeriesRef {
  run: string;
  n: number;
  /** 'i32-delta': x as little-endian int32 differences from the previous x (first from 0); 'f64': raw doubles. */
  x: 'i32-delta' | 'f64';
  offset: number;
  /** True when the points are the M4 downsampling (first, min, max, last of each bucket) of `raw_points`. */
  m4: boolean;
  raw_points: number;
}

export interface ChartData {
  id: string;
  metric: string;
  x_title: string;
  series: SeriesRef[];
}

export interface ChartsBlock {
  kind: 'charts';
  title: string;
  runs: { id: string; name: string }[];
  charts: ChartData[];
  note: string | null;
}

/** One media item of a table cell: a thumbnail (`src`, a data: URI) or, with `src` null, a placeholder's `note`. */
export interface MediaItem {
  kind: string;
  caption: string | null;
  src: string | null;
  note: string | null;
}

/** A table cell: numbers stay numbers (for sorting), media references are thumbnails, the rest is text. */
export type TableCell = string | number | boolean | null | { media: MediaItem[]; more: number };

export interface TableBlock {
  kind: 'table';
  title: string;
  columns: { name: string; type: string }[];
  /** Column-major cells. */
  data: TableCell[][];
  nrows: number;
  note: string | null;
}

/** A plot output (sg.plot.*, sg.plot_table): a Vega-Lite spec drawn over its table's embedded rows. */
export interface PlotBlock {
  kind: 'plot';
  title: string;
  /** Reads its rows from the named dataset "table"; the runtime binds the table's rows to it. */
  spec: Record<string, unknown>;
  table: TableBlock;
}

/**
 * A sweep output: its snapshot (docs/sweeps.md; read from the sweep's directory when the builder could reach it)
 * drawn with the sweep panel's charts. `note` says when it is the snapshot saved with the notebook instead.
 */
export interface SweepBlock {
  kind: 'sweep';
  title: string;
  snapshot: unknown;
  note: string | null;
}

export type Block =
  | { kind: 'markdown'; text: string }
  | { kind: 'code'; source: string; execution_count: number | null }
  | { kind: 'text'; text: string }
  | { kind: 'image'; mime: 'image/png' | 'image/jpeg'; data: string }
  | { kind: 'svg'; svg: string }
  | { kind: 'notice'; text: string; detail: string | null }
  | ChartsBlock
  | TableBlock
  | PlotBlock
  | SweepBlock;

export interface ReportDocument {
  format: string;
  title: TitleBlock;
  blocks: Block[];
}
