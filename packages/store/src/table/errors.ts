import { QueryError, StoreError } from '../errors.js';

/** Input the table explorer cannot use (a WHERE with `;`, an unknown column, a filter it cannot read). */
export class TableInputError extends StoreError {
  override name = 'TableInputError';
}

/** DuckDB refused a table query; `message` is DuckDB's own explanation without the generated SQL. */
export class TableQueryError extends StoreError {
  override name = 'TableQueryError';
  constructor(
    message: string,
    readonly sql: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * DuckDB's message for an error, cut before the echo of the statement ("LINE 1: ..."), which shows the
 * explorer's generated SQL rather than what the user typed.
 */
export function duckdbMessage(error: unknown): string {
  let inner: unknown = error;
  if (inner instanceof QueryError && inner.cause !== undefined) inner = inner.cause;
  const text = inner instanceof Error ? inner.message : String(inner);
  const cut = text.search(/\n\s*LINE \d+:/);
  return (cut >= 0 ? text.slice(0, cut) : text).trim();
}

/** Rethrows an engine failure as a TableQueryError carrying DuckDB's message. */
export function asTableQueryError(error: unknown, sql: string): TableQueryError {
  return new TableQueryError(duckdbMessage(error), sql, { cause: error });
}
