import { changeset, type Loader, type View, loader as vegaLoader } from 'vega';
import embed from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import type { TopLevelSpec } from 'vega-lite';
import { RefusedLoadError } from './errors.js';

/** A loader that refuses every URL: chart data is always inline, so nothing is fetched on behalf of a spec. */
export function refusingLoader(): Loader {
  const refuse = (uri: string) => Promise.reject(new RefusedLoadError(uri));
  return { ...vegaLoader(), load: refuse, sanitize: refuse, http: refuse, file: refuse };
}

/**
 * Embeds a Vega-Lite spec CSP-safely: expressions run through the AST interpreter instead of `new Function`,
 * no export/source actions, no injected stylesheet, SVG output.
 */
export async function embedChart(element: HTMLElement, spec: TopLevelSpec): Promise<View> {
  const result = await embed(element, spec, {
    ast: true,
    expr: expressionInterpreter,
    actions: false,
    defaultStyle: false,
    renderer: 'svg',
    loader: refusingLoader(),
    logLevel: 0,
  });
  return result.view;
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
        .insert(rows),
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
