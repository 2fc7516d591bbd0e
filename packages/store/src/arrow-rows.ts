import type { Table } from 'apache-arrow';

/** Arrow query results to plain objects; 64-bit integers become numbers when they fit. */
export function toRows(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row.toJSON() as Record<string, unknown>)) {
      out[k] =
        typeof v === 'bigint' && v <= Number.MAX_SAFE_INTEGER && v >= Number.MIN_SAFE_INTEGER ? Number(v) : v;
    }
    return out;
  });
}
