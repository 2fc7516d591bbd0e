import type { CallsPage, RootCall } from './call-types.js';

export const CALL_STATUSES = ['success', 'error', 'running', 'unfinished'] as const;

export interface CallFilters {
  opName: string;
  status: string;
  text: string;
  /** Started at or after / before: a local date-time as a `datetime-local` input gives it ('' for none). */
  since: string;
  until: string;
  /** `key=value` on the root's attributes. */
  attribute: string;
  /** A label on any call of the trace. */
  label: string;
  /** any | none | up | down | note (the server's `feedback=`). */
  feedback: string;
}

const NO_FILTERS: CallFilters = {
  opName: '',
  status: '',
  text: '',
  since: '',
  until: '',
  attribute: '',
  label: '',
  feedback: '',
};

/** A `datetime-local` value (the browser's local time) as epoch seconds for the server; '' when unreadable. */
export function localTimeToEpoch(value: string): string {
  const ms = Date.parse(value);
  return value.trim() === '' || Number.isNaN(ms) ? '' : String(ms / 1000);
}

/**
 * What the root-call list shows: filters, the page and the selected trace. Changing a filter goes back to the
 * first page; the selection is kept across pages and polls (a trace does not vanish from the store).
 */
export class CallListState {
  filters: CallFilters = { ...NO_FILTERS };
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
    for (const name of ['since', 'until'] as const) {
      const seconds = localTimeToEpoch(this.filters[name]);
      if (seconds) query[name] = seconds;
    }
    for (const name of ['attribute', 'label', 'feedback'] as const) {
      const value = this.filters[name].trim();
      if (value) query[name] = value;
    }
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
