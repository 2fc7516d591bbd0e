import type { SqlEngine } from '../engine.js';
import { sqlIdentifier, sqlString } from '../sql-literal.js';
import { HIDDEN_PREFIX, ROW_ID, type TableColumn } from './columns.js';
import { TableInputError } from './errors.js';
import { tableMessages } from './messages.js';
import { createMaterializedSource, type TableSource } from './register.js';

/** Hidden boolean column flagging that `column` differs between the two sides of a compare. */
export const changedFlag = (column: string) => `${HIDDEN_PREFIX}changed:${column}`;
/** Hidden column: 'same' | 'changed' | 'added' (only in B) | 'removed' (only in A). */
export const COMPARE_STATUS = `${HIDDEN_PREFIX}status`;

export interface CompareOptions {
  /** Column to join rows on; null or absent compares row by row (side by side by position). */
  key?: string | null;
  /** Labels of the two sides in column names, e.g. "step 3" (default "A" and "B"). */
  labels?: [string, string];
}

/** The shown name of one side's value of a column, e.g. `loss [step 3]`. */
export const sideName = (column: string, label: string) => `${column} [${label}]`;

const visible = (columns: readonly TableColumn[]) => columns.filter((c) => !c.name.startsWith(HIDDEN_PREFIX));

/** The SELECT comparing two sources (exported for tests and the docs). */
export function compareSql(left: TableSource, right: TableSource, options: CompareOptions = {}): string {
  const [la, lb] = options.labels ?? ['A', 'B'];
  const key = options.key ?? null;
  if (
    key !== null &&
    !(left.columns.some((c) => c.name === key) && right.columns.some((c) => c.name === key))
  ) {
    throw new TableInputError(tableMessages.noKey(key));
  }
  const joinOn = key ?? ROW_ID;
  const k = sqlIdentifier(joinOn);
  const names = [...new Set([...visible(left.columns), ...visible(right.columns)].map((c) => c.name))].filter(
    (n) => n !== key,
  );
  const inA = new Set(left.columns.map((c) => c.name));
  const inB = new Set(right.columns.map((c) => c.name));
  const select: string[] = [`coalesce(a.${k}, b.${k}) AS ${sqlIdentifier(key ?? 'row')}`];
  const changes: string[] = [];
  for (const name of names) {
    const id = sqlIdentifier(name);
    const a = inA.has(name) ? `a.${id}` : 'NULL';
    const b = inB.has(name) ? `b.${id}` : 'NULL';
    // A column on one side only always counts as changed; otherwise compare values, NULL = NULL being equal.
    const changed = inA.has(name) && inB.has(name) ? `(${a} IS DISTINCT FROM ${b})` : 'TRUE';
    select.push(
      `${a} AS ${sqlIdentifier(sideName(name, la))}`,
      `${b} AS ${sqlIdentifier(sideName(name, lb))}`,
    );
    select.push(`${changed} AS ${sqlIdentifier(changedFlag(name))}`);
    changes.push(changed);
  }
  const status =
    `CASE WHEN a.${k} IS NULL THEN ${sqlString('added')} WHEN b.${k} IS NULL THEN ${sqlString('removed')} ` +
    `WHEN ${changes.length ? changes.join(' OR ') : 'FALSE'} THEN ${sqlString('changed')} ELSE ${sqlString('same')} END`;
  select.push(`${status} AS ${sqlIdentifier(COMPARE_STATUS)}`);
  return (
    `SELECT ${select.join(', ')} FROM ${left.relation} a FULL OUTER JOIN ${right.relation} b ON a.${k} = b.${k} ` +
    `ORDER BY coalesce(a.${k}, b.${k}) NULLS LAST`
  );
}

/**
 * Compares two versions of a table (two steps, or two runs): each column shown twice (one per side) with a hidden
 * flag per cell that differs, joined on a key column or row by row.
 */
export async function compareTables(
  engine: SqlEngine,
  left: TableSource,
  right: TableSource,
  options: CompareOptions = {},
): Promise<TableSource> {
  return await createMaterializedSource(engine, compareSql(left, right, options), 'compare');
}
