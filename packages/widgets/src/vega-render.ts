import { inertText, sanitizeRows, sanitizeVegaSpec } from '@spyglass/charts';
import { changeset, type Loader, parse, View, loader as vegaLoader } from 'vega';
import embed from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';
import { formatTooltip, guardChartElement } from './chart-egress-guard.js';
import { RefusedLoadError } from './errors.js';

/** A loader that refuses every URL: chart data is always inline, so nothing is fetched on behalf of a spec. */
export function refusingLoader(): Loader {
  const refuse = (uri: string) => Promise.reject(new RefusedLoadError(uri));
  return { ...vegaLoader(), load: refuse, sanitize: refuse, http: refuse, file: refuse };
}

export interface EmbedOptions {
  /**
   * SVG by default. Charts with many thousands of vertices (workspace line plots) draw on a canvas, which paints
   * 100k points in a few milliseconds where SVG spends hundreds parsing path strings; view.toSVG() still exports SVG.
   */
  renderer?: 'svg' | 'canvas';
}

/** The spec with everything that could reach the network removed (see sanitizeVegaSpec); says what went. */
function safeSpec(spec: TopLevelSpec): TopLevelSpec {
  const { spec: clean, removed } = sanitizeVegaSpec(spec);
  if (removed.length)
    console.warn('Spyglass: chart spec entries that would load from the network removed:', removed);
  return clean;
}

/**
 * Embeds a Vega-Lite spec CSP-safely: expressions run through the AST interpreter instead of `new Function`,
 * no export/source actions, no injected stylesheet, SVG output unless the caller asks for a canvas. Every spec
 * and row is sanitized first and the element's attributes are guarded, so a chart never contacts a host.
 */
export async function embedChart(
  element: HTMLElement,
  spec: TopLevelSpec,
  options: EmbedOptions = {},
): Promise<View> {
  // Observing before embedding: the first render's attributes are checked too.
  guardChartElement(element);
  const result = await embed(element, safeSpec(spec), {
    tooltip: { formatTooltip },
    ast: true,
    expr: expressionInterpreter,
    actions: false,
    defaultStyle: false,
    renderer: options.renderer ?? 'svg',
    loader: refusingLoader(),
    logLevel: 0,
  });
  return result.view;
}

/**
 * A view with no DOM, for rendering a spec to an image (exports): the same CSP-safe interpreter and refusing
 * loader as embedChart.
 */
export async function headlessView(spec: TopLevelSpec): Promise<View> {
  const runtime = parse(compile(safeSpec(spec)).spec, undefined, { ast: true });
  const view = new View(runtime, {
    expr: expressionInterpreter,
    loader: refusingLoader(),
    renderer: 'none',
    logLevel: 0,
  } as ConstructorParameters<typeof View>[1]);
  await view.runAsync();
  return view;
}

/**
 * Replaces the rows of a named dataset through a changeset (no re-embed) and re-runs the dataflow. resize()
 * re-runs autosize: Vega fits the layout once by default (autosize.resize = false), so axis labels that grow
 * with the data would otherwise push the plot past the chart's width.
 */
export async function replaceDataset(view: View, dataset: string, rows: object[]): Promise<void> {
  await view
    .change(
      dataset,
      changeset()
        .remove(() => true)
        .insert(sanitizeRows(rows)),
    )
    .resize()
    .runAsync();
}

/**
 * Sets a chart's total width. With autosize fit-x Vega shrinks the `width` signal to the plot area after layout,
 * so callers must remember the width they asked for rather than compare with view.width().
 */
export async function resizeChart(view: View, width: number): Promise<void> {
  await view.width(width).runAsync();
}

type Row = Record<string, unknown>;

/**
 * Like replaceDataset, for large datasets whose rows keep their identity by `key` (a run's line on zoom): the
 * tuples already in the view are refilled in place with the new rows' `fields` and flagged as modified, and only
 * the difference in count is inserted or removed. Vega then updates its scenegraph items instead of dropping
 * and re-creating 100k tuples and items, which costs several times more (and grows the dataflow's lookups).
 * Rows of one key must come in drawing order; they are assigned to that key's tuples in the view's order.
 */
export async function refillDataset(
  view: View,
  dataset: string,
  rows: Row[],
  key: string,
  fields: string[],
): Promise<void> {
  const pool = new Map<unknown, Row[]>();
  for (const tuple of view.data(dataset) as Row[]) {
    const list = pool.get(tuple[key]);
    if (list) list.push(tuple);
    else pool.set(tuple[key], [tuple]);
  }
  const used = new Map<unknown, number>();
  const inserts: Row[] = [];
  for (const row of rows) {
    const k = row[key];
    const list = pool.get(k);
    const i = used.get(k) ?? 0;
    if (list && i < list.length) {
      const tuple = list[i];
      // Only `fields` are copied into kept tuples, so only they need defusing (a full scan of 100k rows cost
      // ~15 ms per zoom); new tuples are sanitized whole below.
      for (const f of fields) {
        const value = row[f];
        tuple[f] = typeof value === 'string' ? inertText(value) : value;
      }
      used.set(k, i + 1);
    } else inserts.push(row);
  }
  const removes: Row[] = [];
  for (const [k, list] of pool) for (let i = used.get(k) ?? 0; i < list.length; i++) removes.push(list[i]);
  const changes = changeset().insert(sanitizeRows(inserts)).remove(removes);
  // Values are already written; the identity modifier only tells the dataflow which fields changed.
  for (const f of fields)
    changes.modify(
      () => true,
      f,
      (tuple: Row) => tuple[f],
    );
  await view.change(dataset, changes).resize().runAsync();
}
