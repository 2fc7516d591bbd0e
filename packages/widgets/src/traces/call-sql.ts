/** The SQL box's answer (POST /calls/sql): columns and rows, every cell shown as text. */

export interface SqlColumn {
  name: string;
  type: string;
}

export interface SqlAnswer {
  columns: SqlColumn[];
  rows: unknown[][];
  truncated: boolean;
  elapsed_ms: number;
}

export const SQL_EXAMPLE =
  'select op_name, count(*) as calls, avg(latency) as seconds\nfrom calls group by op_name order by calls desc';

/** Checks an answer's shape; throws naming what is missing. */
export function parseSqlAnswer(raw: unknown): SqlAnswer {
  const answer = raw as Partial<SqlAnswer> | null;
  if (!answer || !Array.isArray(answer.columns) || !Array.isArray(answer.rows)) {
    throw new Error('the SQL endpoint answered without {columns, rows}');
  }
  const columns = answer.columns.map((c) => ({
    name: String((c as SqlColumn)?.name ?? ''),
    type: String((c as SqlColumn)?.type ?? ''),
  }));
  const rows = answer.rows.filter(Array.isArray) as unknown[][];
  const elapsed = typeof answer.elapsed_ms === 'number' ? answer.elapsed_ms : 0;
  return { columns, rows, truncated: answer.truncated === true, elapsed_ms: elapsed };
}

/** A cell as text (null as empty, objects as JSON); the view puts it in with textContent. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** "3 rows in 12 ms" (+ "; first 1,000 shown" when cut). */
export function sqlSummary(answer: SqlAnswer): string {
  const n = answer.rows.length;
  const rows = `${n.toLocaleString('en')} row${n === 1 ? '' : 's'}`;
  const cut = answer.truncated ? `; the first ${n.toLocaleString('en')} shown` : '';
  return `${rows} in ${Math.round(answer.elapsed_ms)} ms${cut}`;
}
