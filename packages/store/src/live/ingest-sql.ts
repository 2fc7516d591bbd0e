import { sqlIdentifier, sqlString } from '../sql-literal.js';
import { HISTORY_TABLES, type StreamTables } from './stream-tables.js';

const RESERVED = new Set(['step', 'runtime', 'ts', 'metric', 'value']);

/** A staging table loaded from one IngestGroup: metric columns are named by slot (`m0`, `m1`, ...). */
export interface StagedTable {
  table: string;
  slots: number[];
  hasTimestamp: boolean;
}

/**
 * SQL that stacks the metric slots of staged tables into long-format `points` rows, or null when there are no
 * metrics. Each branch of the union lists every slot, NULL where a table lacks it, and UNPIVOT leaves nulls out,
 * so sparse rows and missing columns add no points. `target` names the stream's points table and x column.
 */
export function pointsInsertSql(
  runId: string,
  metrics: string[],
  tables: StagedTable[],
  target: StreamTables = HISTORY_TABLES,
): string | null {
  if (metrics.length === 0 || tables.length === 0) return null;
  // Unpivoting under the metric names themselves is about a third faster than mapping slots back to names, but
  // only safe when no two names differ just in case (DuckDB identifiers are case-insensitive) and none clashes
  // with the other columns of the query.
  const lower = metrics.map((m) => m.toLowerCase());
  const byName =
    new Set(lower).size === metrics.length && !lower.some((m) => RESERVED.has(m) || /^m\d+$/.test(m));
  const alias = metrics.map((m, slot) => (byName ? sqlIdentifier(m) : `m${slot}`));
  const name = byName
    ? 'metric'
    : `CASE metric ${metrics.map((m, slot) => `WHEN 'm${slot}' THEN ${sqlString(m)}`).join(' ')} END`;
  const branches = tables.map((t) => {
    const present = new Set(t.slots);
    const ts = t.hasTimestamp ? '"_timestamp"::DOUBLE' : 'NULL::DOUBLE';
    const values = alias.map((a, slot) => `${present.has(slot) ? `m${slot}` : 'NULL'}::DOUBLE AS ${a}`);
    const x = `${sqlIdentifier(target.indexColumn)}::${target.xType} AS ${target.x}`;
    return `SELECT ${x}, ${ts} AS ts, ${values.join(', ')} FROM ${sqlIdentifier(t.table)}`;
  });
  return (
    `INSERT INTO ${target.points} (run_id, ${target.x}, ts, metric, value) ` +
    `SELECT ${sqlString(runId)}, ${target.x}, ts, ${name}, value FROM (UNPIVOT (` +
    `${branches.join(' UNION ALL ')}) ON ${alias.join(', ')} INTO NAME metric VALUE value)`
  );
}
