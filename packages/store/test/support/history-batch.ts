import { tableFromArrays, tableToIPC } from 'apache-arrow';

/** An Arrow IPC stream of history rows: `_step`, `_timestamp` and the given float metric columns. */
export function historyIPC(steps: number[], metrics: Record<string, (number | null)[]>): Uint8Array {
  const columns: Record<string, unknown> = {
    _step: BigInt64Array.from(steps, (s) => BigInt(s)),
    _timestamp: Float64Array.from(steps, (s) => 1_764_280_000 + s / 10),
  };
  for (const [name, values] of Object.entries(metrics)) {
    columns[name] = values.includes(null) ? values : Float64Array.from(values as number[]);
  }
  return tableToIPC(tableFromArrays(columns as Parameters<typeof tableFromArrays>[0]), 'stream');
}

/** An Arrow IPC stream of system metrics samples: `_timestamp`, `_runtime` and the given `system/...` columns. */
export function systemIPC(runtimes: number[], metrics: Record<string, number[]>): Uint8Array {
  const columns: Record<string, Float64Array> = {
    _timestamp: Float64Array.from(runtimes, (r) => 1_764_280_000 + r),
    _runtime: Float64Array.from(runtimes),
  };
  for (const [name, values] of Object.entries(metrics)) columns[name] = Float64Array.from(values);
  return tableToIPC(tableFromArrays(columns), 'stream');
}
