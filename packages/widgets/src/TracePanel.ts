import type { ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { button, el, select, setOptions } from './dom.js';
import { describeError } from './errors.js';
import { CallList } from './traces/CallList.js';
import { CallTreeView } from './traces/CallTreeView.js';
import { CALL_STATUSES, type CallFilters, CallListState } from './traces/call-list-state.js';
import {
  type CallsPage,
  parseCallsPage,
  parseTraceAnswer,
  type RootCall,
  type TraceAnswer,
} from './traces/call-types.js';
import type { LiveCallBatch } from './traces/live-calls.js';
import { LiveTraces } from './traces/live-traces.js';
import { type TraceTools, type TraceToolsSource, traceTools } from './traces/trace-tools.js';

/** Where the panel reads calls: the server's /calls and /calls/trace (a fake in tests); feedback and SQL
 * through /calls/feedback and /calls/sql when the source has them. */
export interface TraceSource extends TraceToolsSource {
  list(query: Record<string, string>): Promise<unknown>;
  trace(traceId: string): Promise<unknown>;
  /** The URL of an image a call of the session stored by reference, or null (shown as JSON then). */
  imageUrl?(sessionId: string, path: string): string | null;
}

/** Calls the page's kernels stream while they happen (the labextension's LiveCalls). */
export interface LiveCallFeed {
  readonly received: ISignal<unknown, LiveCallBatch>;
}

/** After live rows, the list is read again at most this often (the rows are in the store before they are sent). */
const LIVE_LIST_MS = 500;
/** While rows arrived this recently, the poll is left out: the comm keeps the panel current. */
const LIVE_QUIET_MS = 10_000;

export interface TracePanelOptions {
  source: TraceSource;
  project: string;
  /** Polling interval while the panel is visible (ms); 0 polls never. */
  pollMs?: number;
  /** Live calls of the page's kernels: the open trace grows from them and the list is read when they come. */
  live?: LiveCallFeed;
  /** Only live calls written to this store root are followed (default: any store, by project). */
  storeRoot?: string;
  /** Open the newest trace as its calls arrive, until the user picks one (the cell output's panel). */
  follow?: boolean;
}

/**
 * The trace panel: a project's root calls (latency, tokens, cost, status; filters and pages), and the selected
 * trace's call tree with each call's inputs and output. Calls a kernel of the page makes arrive over the comm:
 * the open trace merges them at once and the list is read again; without them it polls about once a second
 * while it is visible (docs/traces.md#trace-panel).
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
  private readonly live = new LiveTraces();
  private readonly tools: TraceTools;
  private readonly liveFeed: LiveCallFeed | null;
  private readonly storeRoot: string | null;
  private readonly follow: boolean;
  private readonly project: string;
  /** The store's answer for the open trace (live rows are merged into it when drawn). */
  private storedTrace: TraceAnswer | null = null;
  private lastLive = -Infinity;
  private liveTimer: ReturnType<typeof setTimeout> | null = null;
  private picked = false;

  constructor(options: TracePanelOptions) {
    super();
    this.addClass('jp-SpyglassTraces');
    this.node.setAttribute('data-spyglass-traces', options.project);
    this.title.label = `Traces: ${options.project}`;
    this.source = options.source;
    this.pollMs = options.pollMs ?? 1000;
    this.liveFeed = options.live ?? null;
    this.storeRoot = options.storeRoot ?? null;
    this.follow = options.follow ?? false;
    this.project = options.project;
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
    const source = this.source;
    this.tree = new CallTreeView(
      doc,
      source.imageUrl ? (id, path) => source.imageUrl?.(id, path) ?? null : undefined,
    );
    this.tree.clear('Select a call to see its tree.');
    const listBox = el(doc, 'div', 'jp-SpyglassTraces-listBox');
    listBox.append(this.list.node);
    this.tools = traceTools(doc, this.source, {
      filter: (name, value) => this.filter(name, value),
      feedbackChanged: () => void this.refresh(false),
    });
    this.tree.onSelect = (call) => void this.tools.feedback?.show(call?.id ?? null);
    const tools = this.tools;
    this.node.append(toolbar, tools.filters.node, this.notice, listBox);
    if (tools.sql) this.node.append(tools.sql.node);
    this.node.append(this.tree.node);
    if (tools.feedback) this.node.append(tools.feedback.node);
    this.opSelect.addEventListener('change', () => this.filter('opName', this.opSelect.value));
    this.statusSelect.addEventListener('change', () => this.filter('status', this.statusSelect.value));
    this.search.addEventListener('input', () => {
      if (this.searchTimer !== null) clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.filter('text', this.search.value), 200);
    });
    this.liveFeed?.received.connect(this.onLive, this);
  }

  /** Asks for the list (and the open trace, unless `withTrace` is false) now; resolves when both are shown. */
  async refresh(withTrace = true): Promise<void> {
    const generation = ++this.generation;
    try {
      const page = parseCallsPage(await this.source.list(this.state.query()));
      if (this.isDisposed || generation !== this.generation) return;
      if (!this.state.receive(page)) return this.refresh(withTrace);
      // A following panel (the cell output) opens the newest trace until the user picks one.
      const newest = page.calls[0]?.trace_id;
      if (this.follow && !this.picked && newest && !this.live.has(this.state.selectedTrace ?? '')) {
        if (newest !== this.state.selectedTrace) this.storedTrace = null;
        this.state.selectedTrace = newest;
        withTrace = true;
      }
      this.showPage(page);
      if (this.state.selectedTrace && withTrace) await this.loadTrace(this.state.selectedTrace);
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
    this.liveFeed?.received.disconnect(this.onLive, this);
    if (this.liveTimer !== null) clearTimeout(this.liveTimer);
    super.dispose();
  }

  /** Rows a kernel stored just now: the open trace is redrawn with them, the list read again soon. */
  private onLive(_: unknown, batch: LiveCallBatch): void {
    if (this.isDisposed || batch.project !== this.project) return;
    if (this.storeRoot !== null && batch.storeRoot !== this.storeRoot) return;
    this.lastLive = Date.now();
    const { traces, newestRoot } = this.live.add(batch.calls);
    if (this.follow && !this.picked && newestRoot && newestRoot.trace_id !== this.state.selectedTrace) {
      this.state.selectedTrace = newestRoot.trace_id;
      this.storedTrace = null;
      this.drawTrace();
      void this.loadTrace(newestRoot.trace_id).catch(() => undefined); // the store may lag; live rows suffice
    } else if (this.state.selectedTrace && traces.has(this.state.selectedTrace)) {
      this.drawTrace();
    }
    if (this.liveTimer === null)
      this.liveTimer = setTimeout(() => {
        this.liveTimer = null;
        if (!this.isDisposed) void this.refresh(batch.unsentFrames > 0);
      }, LIVE_LIST_MS);
  }

  private schedule(): void {
    this.stop();
    if (this.pollMs <= 0 || this.isDisposed || !this.isAttached) return;
    this.timer = setTimeout(async () => {
      // Hidden (another tab in front, the browser tab in the background): skip the request, keep the beat.
      // Rows arriving over the comm keep the panel current: no poll meanwhile.
      const live = Date.now() - this.lastLive < LIVE_QUIET_MS;
      if (this.isVisible && !this.node.ownerDocument.hidden && !live) await this.refresh();
      this.schedule();
    }, this.pollMs);
  }

  private stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private filter(name: keyof CallFilters, value: string): void {
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
    this.picked = true;
    if (call.trace_id !== this.state.selectedTrace) this.storedTrace = null;
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
    this.storedTrace = parseTraceAnswer(raw);
    this.drawTrace();
  }

  /** The open trace as stored, with the live rows merged in; the same trace unchanged redraws nothing. */
  private drawTrace(): void {
    const traceId = this.state.selectedTrace;
    if (!traceId) return;
    const stored = this.storedTrace?.trace_id === traceId ? this.storedTrace : null;
    const answer = this.live.merged(traceId, stored);
    if (answer === null) return;
    // A poll that brings the same trace back unchanged redraws nothing (folds and scroll stay).
    const text = JSON.stringify(answer);
    if (text === this.traceText) return;
    this.traceText = text;
    this.tree.show(answer);
  }

  private setNotice(text: string | null): void {
    this.notice.hidden = text === null;
    this.notice.textContent = text ?? '';
  }
}
