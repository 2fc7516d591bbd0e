/** One row of a config or summary table: a dotted key and its value as text. */
export interface KeyValueRow {
  key: string;
  value: string;
}

/**
 * A number as a table shows it: integers in full, others with 6 significant digits (trailing zeros dropped), and
 * exponent notation for magnitudes below 1e-4 or from 1e15, where fixed notation is unreadable.
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e15) return String(value);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e15)) {
    return value.toExponential(3).replace(/\.?0+e/, 'e');
  }
  return String(Number(value.toPrecision(6)));
}

/**
 * Any JSON value of a config or summary as one line of text. Strings are shown as they are, which also covers
 * run.json's spelling of non-finite numbers ("NaN", "Infinity", "-Infinity").
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * Flattens nested objects into dotted keys, sorted (`{"optimizer": {"name": "adam"}}` → `optimizer.name`), as
 * wandb's run overview lists config. Arrays and empty objects stay one value. Keys starting with '_' (wandb's
 * internal `_wandb` and the like) are left out.
 */
export function flattenRecord(record: Readonly<Record<string, unknown>>): KeyValueRow[] {
  const rows: KeyValueRow[] = [];
  const visit = (value: unknown, key: string) => {
    if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.keys(value).length > 0
    ) {
      for (const [k, v] of Object.entries(value)) visit(v, `${key}.${k}`);
    } else {
      rows.push({ key, value: formatValue(value) });
    }
  };
  for (const [key, value] of Object.entries(record)) if (!key.startsWith('_')) visit(value, key);
  return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Cuts text longer than `max` characters with an ellipsis; the caller shows the whole text as a tooltip. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
