/** Quotes an SQL identifier; any character is allowed, embedded double quotes are doubled. */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal (DuckDB strings have no backslash escapes, so only quotes need doubling). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Formats a finite number as an SQL literal; refuses NaN and infinities, which have no literal form. */
export function sqlNumber(value: number | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  if (!Number.isFinite(value)) throw new RangeError(`Cannot use ${value} as an SQL number literal`);
  return String(value);
}
