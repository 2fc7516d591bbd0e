import { describeError } from '@spyglass/store/errors';

export { describeError };

/** Base class of every error the widgets package throws. */
export class WidgetsError extends Error {
  override name = 'WidgetsError';
}

/** DuckDB-WASM could not be started or refused a request. */
export class BrowserEngineError extends WidgetsError {
  override name = 'BrowserEngineError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** vega-embed failed to draw or update a chart. */
export class ChartRenderError extends WidgetsError {
  override name = 'ChartRenderError';
  constructor(
    readonly metric: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot render the chart of ${metric}: ${describeError(options?.cause)}`, options);
  }
}

/** A refused URL: charts are drawn from inline data only. */
export class RefusedLoadError extends WidgetsError {
  override name = 'RefusedLoadError';
  constructor(readonly uri: string) {
    super(`Spyglass charts load no external data; refused ${JSON.stringify(uri)}`);
  }
}
