import {
  type Aggregate,
  type AggregateFunction,
  parseQuickFilter,
  type QuickFilter,
  type SortKey,
  type TableColumn,
  type TableViewSpec,
} from '@spyglass/store';

/**
 * What the explorer's controls ask of its view: the view spec, and the quick filters behind it kept by column so
 * that a rebuilt header can show each filter box's text again. DOM-free; the explorer re-queries after each change.
 */
export class QueryState {
  private current: TableViewSpec = {};
  private readonly filters = new Map<string, QuickFilter>();

  get spec(): TableViewSpec {
    return this.current;
  }

  /** The sort key the grid is ordered by, if any (the explorer sorts by one column at most). */
  get sort(): SortKey | undefined {
    return this.current.sort?.[0];
  }

  get grouped(): boolean {
    return !!this.current.groupBy;
  }

  /** Sorts by one column, or not at all. */
  sortBy(column: string | null, descending = false): void {
    this.current = { ...this.current, sort: column ? [{ column, descending }] : [] };
  }

  /** A click on a column's sort button: ascending, then descending, then unsorted. */
  cycleSort(column: string): void {
    const sort = this.sort;
    if (sort?.column !== column) this.sortBy(column, false);
    else if (!sort.descending) this.sortBy(column, true);
    else this.sortBy(null);
  }

  /** Sets a column's quick filter from the text typed in its filter box; throws (changing nothing) when it does not parse. */
  setFilter(column: TableColumn, text: string): void {
    const parsed = parseQuickFilter(column, text);
    if (parsed) this.filters.set(column.name, parsed);
    else this.filters.delete(column.name);
    this.current = { ...this.current, filters: [...this.filters.values()] };
  }

  /** The text that sets a column's current quick filter (empty without one). */
  filterText(column: string): string {
    const f = this.filters.get(column);
    if (!f) return '';
    if (f.op === 'contains') return f.text;
    if (f.op === 'equals') return typeof f.value === 'string' ? `=${f.value}` : String(f.value);
    if (f.min !== undefined && f.max !== undefined) return `${f.min}..${f.max}`;
    if (f.min !== undefined) return `${f.minExclusive ? '>' : '>='}${f.min}`;
    return `${f.maxExclusive ? '<' : '<='}${f.max}`;
  }

  where(text: string): void {
    this.current = { ...this.current, where: text.trim() || null };
  }

  /** An SQL query replaces the table, so everything else set on it goes. */
  sql(text: string): void {
    this.filters.clear();
    this.current = { sql: text.trim() || null };
  }

  clear(): void {
    this.filters.clear();
    this.current = {};
  }

  /**
   * Groups by one column (none when `key` is empty), counting rows and applying `fn` to the first numeric
   * `columns`. The sort goes either way: it names columns of the view before.
   */
  groupBy(key: string, fn: AggregateFunction, columns: readonly TableColumn[]): void {
    if (!key) {
      this.current = { ...this.current, groupBy: null, sort: [] };
      return;
    }
    const numeric = columns.filter((c) => c.kind === 'number' && c.name !== key);
    const aggregates: Aggregate[] = [
      { fn: 'count' },
      ...numeric.slice(0, 6).map((c) => ({ fn, column: c.name })),
    ];
    this.current = { ...this.current, groupBy: { columns: [key], aggregates }, sort: [] };
  }
}
