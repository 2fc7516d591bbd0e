import type { Table } from 'apache-arrow';
import { tableFromCheckedIPC } from '../arrow-stream-check.js';
import { readFramedLogPrefix } from '../framed-log.js';

/** One logged version of a table: the step it was logged at and its Parquet file inside the run directory. */
export interface LoggedTableVersion {
  step: number;
  path: string;
  /** The Vega-Lite spec of an sg.plot chart (a CustomChart logs its table with it); absent for a plain table. */
  spec?: Record<string, unknown>;
}

/**
 * The versions of table `key` in a run's history (a framed Arrow log): every row whose `key` column holds a
 * `{"_type":"table","path":...}` reference, in step order.
 */
export function tableVersions(history: Uint8Array, key: string): LoggedTableVersion[] {
  const versions: LoggedTableVersion[] = [];
  const seen = new Set<string>();
  for (const frame of readFramedLogPrefix(history, { anyFirstSeq: true }).frames) {
    let table: Table;
    try {
      table = tableFromCheckedIPC(frame.payload);
    } catch {
      continue;
    }
    const column = table.getChild(key);
    const steps = table.getChild('_step');
    if (!column || !steps) continue;
    for (let i = 0; i < table.numRows; i++) {
      const text = column.get(i);
      if (typeof text !== 'string' || !text.includes('"table"')) continue;
      try {
        const ref = JSON.parse(text) as { _type?: unknown; path?: unknown; spec?: unknown };
        if (ref._type !== 'table' || typeof ref.path !== 'string' || seen.has(ref.path)) continue;
        seen.add(ref.path);
        const version: LoggedTableVersion = { step: Number(steps.get(i)), path: ref.path };
        if (isSpec(ref.spec)) version.spec = ref.spec;
        versions.push(version);
      } catch {
        // not a reference: skip the cell
      }
    }
  }
  return versions.sort((a, b) => a.step - b.step);
}

function isSpec(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
