import type { CallsPage, RootCall } from './call-types.js';

export const CALL_STATUSES = ['success', 'error', 'running', 'unfinished'] as const;

export interface CallFilters {
  opName: string;
  status: string;
  text: string;
}

/**
 * What the root-call list shows: filters, the page and the selected trace. Changing a filter goes back to the
 * first page; the selection is kept across pages and polls (a trace does not vanish from the store).
 */
export class CallListState {
  filters: CallFilters = { opName: '', status: '', text: '' };
  offset = 0;
  selectedTrace: string | null = null;
  page: CallsPage | null = null;

  constructor(readonly pageSize = 100) {}

  /** The query of the next /calls request. */
  query(): Record<string, string> {
    const query: Record<string, string> = { offset: String(this.offset), limit: String(this.pageSize) };
    if (this.filters.opName) query.op_name = this.filters.opName;
    if (this.filters.status) query.status = this.filters.status;
    const text = this.filters.text.trim();
    if (text) query.q = text;
    return query;
  }

  /** Sets one filter; answers whether anything changed (then the list is asked for again from the start). */
  setFilter(name: keyof CallFilters, value: string): boolean {
    if (this.filters[name] === value) return false;
    this.filters = { ...this.filters, [name]: value };
    this.offset = 0;
    return true;
  }

  /** Takes an answer; a page past the end (the list shrank) moves back to the last page and answers false. */
  receive(page: CallsPage): boolean {
    this.page = page;
    if (page.calls.length === 0 && this.offset > 0 && page.total > 0) {
      this.offset = Math.floor((page.total - 1) / this.pageSize) * this.pageSize;
      return false;
    }
    return true;
  }

  get hasPrevious(): boolean {
    return this.offset > 0;
  }

  get hasNext(): boolean {
    return this.page !== null && this.offset + this.pageSize < this.page.total;
  }

  next(): void {
    if (this.hasNext) this.offset += this.pageSize;
  }

  previous(): void {
    this.offset = Math.max(0, this.offset - this.pageSize);
  }

  /** "101–200 of 5,321", or "no calls". */
  rangeText(): string {
    const total = this.page?.total ?? 0;
    if (total === 0) return 'no calls';
    const shown = this.page?.calls.length ?? 0;
    return `${(this.offset + 1).toLocaleString('en')}–${(this.offset + shown).toLocaleString('en')} of ${total.toLocaleString('en')}`;
  }

  /** The selected root call when it is on the page shown. */
  selectedCall(): RootCall | null {
    return this.page?.calls.find((call) => call.trace_id === this.selectedTrace) ?? null;
  }
}
