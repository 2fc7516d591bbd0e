import { sqlIdentifier, sqlString } from './sql-literal.js';

/** A group of frames loaded into one staging table. */
export interface StagedFrame {
  table: string;
  /** Numeric metric columns of this table. */
  metrics: string[];
  hasTimestamp: boolean;
}

/**
 * Column aliases for the stacked metrics. DuckDB matches identifiers case-insensitively, so when two metric
 * names differ only in case (`Loss`, `loss`) they get positional aliases and their names come back through a
 * CASE; otherwise the names themselves are the aliases, which is about a third faster than mapping them.
 */
function aliases(metrics: string[]): { alias: Map<string, string>; nameOf: (column: string) => string } {
  const collide = new Set(metrics.map((m) => m.toLowerCase())).size < metrics.length;
  if (!collide)
    return { alias: new Map(metrics.map((m) => [m, sqlIdentifier(m)])), nameOf: (column) => column };
  const alias = new Map(metrics.map((m, i) => [m, `m${i}`]));
  const cases = metrics.map((m, i) => `WHEN 'm${i}' THEN ${sqlString(m)}`).join(' ');
  return { alias, nameOf: (column) => `CASE ${column} ${cases} END` };
}

/**
 * SQL that stacks the numeric metric columns of staged tables into long-format `points` rows, or null when no
 * table has a metric. Tables may have different columns; each branch of the union lists every metric, NULL where
 * absent, and UNPIVOT leaves nulls out, so sparse rows and missing columns add no points.
 */
export function pointsInsertSql(runId: string, tables: StagedFrame[]): string | null {
  const metrics = [...new Set(tables.flatMap((t) => t.metrics))];
  if (metrics.length === 0) return null;
  const { alias, nameOf } = aliases(metrics);
  const branches = tables.map((t) => {
    const present = new Set(t.metrics);
    const ts = t.hasTimestamp ? '"_timestamp"::DOUBLE' : 'NULL::DOUBLE';
    const values = metrics.map(
      (m) => `${present.has(m) ? sqlIdentifier(m) : 'NULL'}::DOUBLE AS ${alias.get(m)}`,
    );
    return `SELECT "_step"::BIGINT AS step, ${ts} AS ts, ${values.join(', ')} FROM ${sqlIdentifier(t.table)}`;
  });
  return (
    `INSERT INTO points SELECT ${sqlString(runId)}, step, ts, ${nameOf('metric')}, value FROM (UNPIVOT (` +
    `${branches.join(' UNION ALL ')}) ON ${[...alias.values()].join(', ')} INTO NAME metric VALUE value)`
  );
}
