import { cellText, compareCells, RUN_FIELD_IDS, type RunColumn, type TableRun } from './run-columns.js';

/** What the user set on the runs table; saved in the workspace layout. */
export interface TableState {
  /** Visible columns in display order; null shows the default columns. */
  columns: string[] | null;
  sort: { column: string; descending: boolean } | null;
  groupBy: string | null;
  /** Run ids kept at the top of the table whatever the sort. */
  pinned: string[];
  /** Run ids selected: highlighted in every chart. */
  selected: string[];
  /** Quick filters: text matched against name, id, tags, group and job type; states to keep (empty keeps all). */
  search: string;
  states: string[];
  /** The SQL WHERE clause over the runs, as typed (applied through WorkspaceData.sql). */
  where: string;
}

export const EMPTY_TABLE_STATE: TableState = {
  columns: null,
  sort: { column: 'created', descending: true },
  groupBy: null,
  pinned: [],
  selected: [],
  search: '',
  states: [],
  where: '',
};

/** Config and summary columns shown by default after the run fields; the column chooser offers the rest. */
export const DEFAULT_EXTRA_COLUMNS = 24;

/** The visible columns, in order: the saved list (minus columns no run has any more) or the default set. */
export function visibleColumns(all: readonly RunColumn[], state: TableState): RunColumn[] {
  const byId = new Map(all.map((c) => [c.id, c]));
  if (state.columns !== null) return state.columns.flatMap((id) => byId.get(id) ?? []);
  const fields = all.filter((c) => c.kind === 'run');
  const extra = all.filter((c) => c.kind !== 'run').slice(0, DEFAULT_EXTRA_COLUMNS);
  return [...fields, ...extra];
}

/** A group of rows when the table is grouped; `key` is the shown value ('' for runs without one). */
export interface RowGroup {
  key: string;
  runs: TableRun[];
}

export interface TableView {
  /** Rows after filtering, pinned first, then sorted. */
  rows: TableRun[];
  /** Groups in order of first appearance in `rows`, or null when the table is not grouped. */
  groups: RowGroup[] | null;
  /** Runs filtered out (so the table can say "showing 12 of 40"). */
  hidden: number;
}

function matchesSearch(run: TableRun, needle: string): boolean {
  if (needle === '') return true;
  const haystack = [run.name ?? '', run.run_id, run.group ?? '', run.job_type ?? '', ...run.tags];
  return haystack.some((text) => text.toLowerCase().includes(needle));
}

/**
 * Applies the quick filters, the SQL matches (run ids the WHERE clause kept, or null when there is none), the
 * pin order, the sort and the grouping. Pure: the widget calls it on every change and renders the result.
 */
export function tableView(
  runs: readonly TableRun[],
  columns: readonly RunColumn[],
  state: TableState,
  sqlMatches: ReadonlySet<string> | null,
): TableView {
  const needle = state.search.trim().toLowerCase();
  const states = new Set(state.states);
  const stateColumn = columns.find((c) => c.id === 'state');
  const kept = runs.filter(
    (run) =>
      (sqlMatches === null || sqlMatches.has(run.run_id)) &&
      matchesSearch(run, needle) &&
      (states.size === 0 || states.has(String(stateColumn?.value(run) ?? run.state))),
  );
  const pinned = new Set(state.pinned);
  const sortColumn = state.sort ? columns.find((c) => c.id === state.sort?.column) : undefined;
  const direction = state.sort?.descending ? -1 : 1;
  const rows = kept
    .map((run, index) => ({ run, index }))
    .sort((a, b) => {
      const pin = Number(pinned.has(b.run.run_id)) - Number(pinned.has(a.run.run_id));
      if (pin !== 0) return pin;
      if (sortColumn) {
        const va = sortColumn.value(a.run);
        const vb = sortColumn.value(b.run);
        const missing = (v: unknown) => v === undefined || v === null;
        // Missing values stay last in both directions.
        if (missing(va) !== missing(vb)) return missing(va) ? 1 : -1;
        const order = compareCells(va, vb) * direction;
        if (order !== 0) return order;
      }
      return a.index - b.index;
    })
    .map(({ run }) => run);
  return { rows, groups: groupRows(rows, columns, state.groupBy), hidden: runs.length - rows.length };
}

/** Groups rows by a column's shown value, keeping the row order inside and between groups. */
export function groupRows(
  rows: readonly TableRun[],
  columns: readonly RunColumn[],
  groupBy: string | null,
): RowGroup[] | null {
  if (groupBy === null) return null;
  const column = columns.find((c) => c.id === groupBy);
  if (!column) return null;
  const groups = new Map<string, TableRun[]>();
  for (const run of rows) {
    const key = cellText(column.value(run));
    const list = groups.get(key);
    if (list) list.push(run);
    else groups.set(key, [run]);
  }
  return [...groups.entries()].map(([key, list]) => ({ key, runs: list }));
}

/** Adds `id` to a list or removes it (pin, select, show/hide a column). */
export function toggled(list: readonly string[], id: string): string[] {
  return list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
}

/** Moves a visible column one place left (-1) or right (+1). */
export function movedColumn(visible: readonly string[], id: string, by: -1 | 1): string[] {
  const from = visible.indexOf(id);
  const to = from + by;
  if (from < 0 || to < 0 || to >= visible.length) return [...visible];
  const next = [...visible];
  [next[from], next[to]] = [next[to], next[from]];
  return next;
}

/** The column ids to save after showing or hiding one, starting from what is visible now. */
export function withColumnToggled(visible: readonly RunColumn[], id: string): string[] {
  const ids = visible.map((c) => c.id);
  if (RUN_FIELD_IDS.includes(id) && id === 'name') return ids; // the name column identifies rows; it stays
  return toggled(ids, id);
}
