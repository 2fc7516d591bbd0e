/** One column of a logged table as Python describes it (`type` is the Arrow type's name, e.g. "int64"). */
export interface TableColumnInfo {
  name: string;
  type: string;
}

/**
 * Data of a table explorer output (TABLE_MIME_TYPE). A logged table is a Parquet file at `path` inside `run_dir`
 * (read through GET /spyglass/api/v1/file); a small unlogged one travels inline as a base64 Arrow IPC stream.
 */
export interface TableOutputData {
  run_dir: string | null;
  path: string | null;
  key: string | null;
  step: number | null;
  nrows: number;
  columns: TableColumnInfo[];
  inline_arrow: string | null;
  /** Present for sg.plot charts: a Vega-Lite spec drawing the named dataset `table` (run with the interpreter). */
  spec: Record<string, unknown> | null;
}

export type ParsedTableOutput = { kind: 'ok'; data: TableOutputData } | { kind: 'invalid'; reason: string };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const optionalString = (v: unknown): v is string | null | undefined =>
  v === null || v === undefined || typeof v === 'string';

/** Validates the TABLE_MIME_TYPE payload of a cell output (saved notebooks are untrusted input). */
export function parseTableOutput(value: unknown): ParsedTableOutput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', reason: 'not an object' };
  }
  const o = value as Record<string, unknown>;
  for (const key of ['run_dir', 'path', 'key', 'inline_arrow']) {
    if (!optionalString(o[key])) return { kind: 'invalid', reason: `'${key}' is not a string or null` };
  }
  if (o.step !== null && o.step !== undefined && !Number.isSafeInteger(o.step)) {
    return { kind: 'invalid', reason: "'step' is not an integer or null" };
  }
  if (!Number.isSafeInteger(o.nrows) || (o.nrows as number) < 0) {
    return { kind: 'invalid', reason: "'nrows' is not a non-negative integer" };
  }
  const columns = Array.isArray(o.columns) ? o.columns : null;
  if (!columns?.every((c) => typeof c?.name === 'string' && typeof c?.type === 'string')) {
    return { kind: 'invalid', reason: "'columns' is not a list of {name, type}" };
  }
  const hasFile = typeof o.run_dir === 'string' && typeof o.path === 'string';
  if (!hasFile && typeof o.inline_arrow !== 'string') {
    return { kind: 'invalid', reason: "neither 'run_dir'+'path' nor 'inline_arrow' is given" };
  }
  return {
    kind: 'ok',
    data: {
      run_dir: (o.run_dir as string | null | undefined) ?? null,
      path: (o.path as string | null | undefined) ?? null,
      key: (o.key as string | null | undefined) ?? null,
      step: (o.step as number | null | undefined) ?? null,
      nrows: o.nrows as number,
      columns: columns.map((c) => ({ name: c.name as string, type: c.type as string })),
      inline_arrow: (o.inline_arrow as string | null | undefined) ?? null,
      spec: isPlainObject(o.spec) ? o.spec : null,
    },
  };
}
