import type { HistogramPoint } from '@spyglass/protocol';
import { DataType, type Table } from 'apache-arrow';
import { sqlNumber, sqlString } from './sql-literal.js';
import { parseMediaReference } from './table/media-cell.js';

/** A logged sg.Histogram as history holds it: its reference JSON (`{"_type":"histogram","bins":…,"values":…}`). */
export interface HistogramRow {
  step: number;
  metric: string;
  json: string;
}

const HISTOGRAM_PREFIX = '{"_type":"histogram"';

/** The page table of logged histograms, one row per (run, step, key), kept beside `points`. */
export const CREATE_HISTOGRAMS_SQL =
  'CREATE TABLE IF NOT EXISTS histograms (run_id VARCHAR NOT NULL, step BIGINT NOT NULL, metric VARCHAR NOT NULL, ' +
  'json VARCHAR NOT NULL)';

/**
 * The histogram references in a history frame's string columns. String columns are otherwise left out of the page
 * database; histograms are the one kind a panel charts (gradient and parameter heat strips).
 */
export function histogramRows(table: Table): HistogramRow[] {
  const steps = table.getChild('_step');
  if (!steps) return [];
  const rows: HistogramRow[] = [];
  for (const field of table.schema.fields) {
    if (field.name.startsWith('_') || !isText(field.type)) continue;
    const column = table.getChild(field.name);
    if (!column) continue;
    for (let i = 0; i < table.numRows; i++) {
      const value = column.get(i);
      if (typeof value === 'string' && value.startsWith(HISTOGRAM_PREFIX)) {
        rows.push({ step: Number(steps.get(i)), metric: field.name, json: value });
      }
    }
  }
  return rows;
}

/** Plain strings (as the flusher writes them) or dictionary-encoded ones (as other Arrow writers may). */
function isText(type: DataType): boolean {
  return (
    DataType.isUtf8(type) ||
    DataType.isLargeUtf8(type) ||
    (DataType.isDictionary(type) && isText(type.dictionary))
  );
}

/** INSERT of a run's histogram rows, or null when there are none. */
export function histogramsInsertSql(runId: string, rows: readonly HistogramRow[]): string | null {
  if (rows.length === 0) return null;
  const run = sqlString(runId);
  const values = rows.map(
    (r) => `(${run}, ${sqlNumber(r.step)}, ${sqlString(r.metric)}, ${sqlString(r.json)})`,
  );
  return `INSERT INTO histograms VALUES ${values.join(', ')}`;
}

/**
 * One key's histograms of a run ordered by step; above `maxSteps` every k-th is kept (and the last), so a long
 * run's strip stays about `maxSteps` columns wide.
 */
export function histogramSeriesSql(runId: string, metric: string, maxSteps: number): string {
  const where = `run_id = ${sqlString(runId)} AND metric = ${sqlString(metric)}`;
  return (
    `WITH h AS (SELECT step, json, row_number() OVER (ORDER BY step) - 1 AS i, count(*) OVER () AS n ` +
    `FROM histograms WHERE ${where}) SELECT step, json FROM h ` +
    `WHERE n <= ${sqlNumber(maxSteps)} OR i % ceil(n / ${sqlNumber(maxSteps)})::BIGINT = 0 OR i = n - 1 ` +
    'ORDER BY step'
  );
}

/** Rows of histogramSeriesSql as histograms; a malformed reference is skipped, never drawn half. */
export function parseHistogramPoints(rows: readonly Record<string, unknown>[]): HistogramPoint[] {
  const points: HistogramPoint[] = [];
  for (const row of rows) {
    const reference = parseMediaReference(row.json);
    const bins = reference?.bins;
    const values = reference?.values;
    if (reference?.type !== 'histogram' || !bins || !values || bins.length !== values.length + 1) continue;
    points.push({ step: Number(row.step), bins, values });
  }
  return points;
}
