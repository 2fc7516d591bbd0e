import { Widget } from '@lumino/widgets';
import { button, el, select, setOptions } from './dom.js';
import { describeError } from './errors.js';
import { CallList } from './traces/CallList.js';
import { CallTreeView } from './traces/CallTreeView.js';
import { CALL_STATUSES, CallListState } from './traces/call-list-state.js';
import { type CallsPage, parseCallsPage, parseTraceAnswer, type RootCall } from './traces/call-types.js';

/** Where the panel reads calls: the server's /calls and /calls/trace (a fake in tests). */
export interface TraceSource {
  list(query: Record<string, string>): Promise<unknown>;
  trace(traceId: string): Promise<unknown>;
}

export interface TracePanelOptions {
  source: TraceSource;
  project: string;
  /** Polling interval while the panel is visible (ms); 0 polls never. */
  pollMs?: number;
}

/**
 * The trace panel: a project's root calls (latency, tokens, cost, status; filters and pages), and the selected
 * trace's call tree with each call's inputs and output. It polls the list (and the open trace) about once a second
 * while it is visible; live streaming over the comm is not wired yet (docs/traces.md#trace-panel).
 */
export class TracePanel extends Widget {
  private readonly state = new CallListState();
  private readonly list: CallList;
  private readonly tree: CallTreeView;
  private readonly opSelect: HTMLSelectElement;
  private readonly statusSelect: HTMLSelectElement;
  private readonly search: HTMLInputElement;
  private readonly range: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private readonly notice: HTMLElement;
  private readonly source: TraceSource;
  private readonly pollMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;
  private traceText = '';
  private pageText = '';

  constructor(options: TracePanelOptions) {
    super();
    this.addClass('jp-SpyglassTraces');
    this.node.setAttribute('data-spyglass-traces', options.project);
    this.title.label = `Traces: ${options.project}`;
    this.source = options.source;
    this.pollMs = options.pollMs ?? 1000;
    const doc = this.node.ownerDocument;
    const toolbar = el(doc, 'div', 'jp-SpyglassTraces-toolbar');
    this.opSelect = select(doc, [['', 'all ops']], 'jp-SpyglassTraces-filter');
    this.opSelect.setAttribute('aria-label', 'op');
    this.statusSelect = select(
      doc,
      [['', 'any status'], ...CALL_STATUSES.map((s): [string, string] => [s, s])],
      'jp-SpyglassTraces-filter',
    );
    this.statusSelect.setAttribute('aria-label', 'status');
    this.search = el(doc, 'input', 'jp-SpyglassTraces-search');
    this.search.type = 'search';
    this.search.placeholder = 'search inputs, outputs, errors';
    this.range = el(doc, 'span', 'jp-SpyglassTraces-range');
    this.prev = button(doc, '‹', () => this.page(-1), 'jp-SpyglassTraces-pager');
    this.next = button(doc, '›', () => this.page(1), 'jp-SpyglassTraces-pager');
    toolbar.append(this.opSelect, this.statusSelect, this.search, this.prev, this.range, this.next);
    this.notice = el(doc, 'p', 'jp-SpyglassTraces-notice');
    this.notice.hidden = true;
    this.list = new CallList(doc, (call) => this.select(call));
    this.tree = new CallTreeView(doc);
    this.tree.clear('Select a call to see its tree.');
    const listBox = el(doc, 'div', 'jp-SpyglassTraces-listBox');
    listBox.append(this.list.node);
    this.node.append(toolbar, this.notice, listBox, this.tree.node);
    this.opSelect.addEventListener('change', () => this.filter('opName', this.opSelect.value));
    this.statusSelect.addEventListener('change', () => this.filter('status', this.statusSelect.value));
    this.search.addEventListener('input', () => {
      if (this.searchTimer !== null) clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.filter('text', this.search.value), 200);
    });
  }

  /** Asks for the list (and the open trace) now; resolves when both are shown. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    try {
      const page = parseCallsPage(await this.source.list(this.state.query()));
      if (this.isDisposed || generation !== this.generation) return;
      if (!this.state.receive(page)) return this.refresh();
      this.showPage(page);
      if (this.state.selectedTrace) await this.loadTrace(this.state.selectedTrace);
      this.setNotice(null);
    } catch (error) {
      if (!this.isDisposed) this.setNotice(`Cannot read the calls: ${describeError(error)}`);
    }
  }

  protected override onAfterAttach(): void {
    void this.refresh().then(() => this.schedule());
  }

  protected override onBeforeDetach(): void {
    this.stop();
  }

  override dispose(): void {
    this.stop();
    super.dispose();
  }

  private schedule(): void {
    this.stop();
    if (this.pollMs <= 0 || this.isDisposed || !this.isAttached) return;
    this.timer = setTimeout(async () => {
      // Hidden (another tab in front, the browser tab in the background): skip the request, keep the beat.
      if (this.isVisible && !this.node.ownerDocument.hidden) await this.refresh();
      this.schedule();
    }, this.pollMs);
  }

  private stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private filter(name: 'opName' | 'status' | 'text', value: string): void {
    if (this.state.setFilter(name, value)) void this.refresh();
  }

  private page(step: number): void {
    if (step > 0) this.state.next();
    else this.state.previous();
    void this.refresh();
  }

  private showPage(page: CallsPage): void {
    // A poll that brings the same page back redraws nothing (hover, focus and scroll stay).
    const text = JSON.stringify([page, this.state.selectedTrace]);
    if (text === this.pageText) return;
    this.pageText = text;
    setOptions(this.opSelect, [['', 'all ops'], ...page.op_names.map((n): [string, string] => [n, n])]);
    this.list.show(page.calls, this.state.selectedTrace);
    this.range.textContent = this.state.rangeText();
    this.prev.disabled = !this.state.hasPrevious;
    this.next.disabled = !this.state.hasNext;
    this.node.dataset.total = String(page.total);
  }

  private select(call: RootCall): void {
    this.state.selectedTrace = call.trace_id;
    for (const row of this.list.node.querySelectorAll('tr.jp-SpyglassTraces-row')) {
      row.classList.toggle('jp-mod-selected', (row as HTMLElement).dataset.traceId === call.trace_id);
    }
    void this.loadTrace(call.trace_id).catch((error) =>
      this.setNotice(`Cannot open the trace: ${describeError(error)}`),
    );
  }

  private async loadTrace(traceId: string): Promise<void> {
    const raw = await this.source.trace(traceId);
    if (this.isDisposed || traceId !== this.state.selectedTrace) return;
    // A poll that brings the same trace back unchanged redraws nothing (folds and scroll stay).
    const text = JSON.stringify(raw);
    if (text === this.traceText) return;
    this.traceText = text;
    this.tree.show(parseTraceAnswer(raw));
  }

  private setNotice(text: string | null): void {
    this.notice.hidden = text === null;
    this.notice.textContent = text ?? '';
  }
}
