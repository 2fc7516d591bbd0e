/** A chart a run logged (an sg.plot CustomChart: spyglass.sklearn's, plot_table's): its table file and spec. */
export interface LoggedChart {
  key: string;
  /** The table's Parquet file inside the run directory. */
  path: string;
  /** The Vega-Lite spec, drawing the named dataset `table`. */
  spec: Record<string, unknown>;
}

/**
 * The charts in a run's summary, sorted by key: summary values that are table references carrying a spec (the
 * summary keeps each key's latest reference, so this is each chart's latest version). Plain tables, other media
 * and values that are not references are left out.
 */
export function loggedCharts(summary: Readonly<Record<string, unknown>> | null | undefined): LoggedChart[] {
  const charts: LoggedChart[] = [];
  for (const [key, value] of Object.entries(summary ?? {})) {
    if (typeof value !== 'string' || !value.startsWith('{') || !value.includes('"spec"')) continue;
    let reference: { _type?: unknown; path?: unknown; spec?: unknown };
    try {
      reference = JSON.parse(value);
    } catch {
      continue; // a string that merely looks like JSON
    }
    const { _type, path, spec } = reference;
    if (_type !== 'table' || typeof path !== 'string' || typeof spec !== 'object' || spec === null) continue;
    if (Array.isArray(spec)) continue;
    charts.push({ key, path, spec: spec as Record<string, unknown> });
  }
  return charts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
