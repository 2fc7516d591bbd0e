import { el } from '../dom.js';
import { formatCost, formatLatency } from './call-format.js';
import { buildCallTree, type CallTree, collapsedBelow, visibleRows } from './call-tree.js';
import { parseValue, type TraceAnswer, type TraceCall } from './call-types.js';
import { renderValue, type ValueViewOptions } from './value-view.js';

/** Rows drawn at once; a bigger tree opens folded below the second level, and draws more on request. */
const ROWS_SHOWN = 2_000;

/** A trace: its call tree on the left, the selected call's inputs, output and details on the right. */
export class CallTreeView {
  readonly node: HTMLElement;
  private readonly treeNode: HTMLElement;
  private readonly detail: HTMLElement;
  private tree: CallTree | null = null;
  private collapsed = new Set<string>();
  private selected: string | null = null;
  private limit = ROWS_SHOWN;
  private traceId: string | null = null;
  /** Told the call whose details are shown (null: none), after each draw of the details. */
  onSelect: ((call: TraceCall | null) => void) | null = null;

  /** `imageUrl`: where the server serves an image a call of the given session stored (none: shown as JSON). */
  constructor(
    doc: Document,
    private readonly imageUrl?: (sessionId: string, path: string) => string | null,
  ) {
    this.node = el(doc, 'div', 'jp-SpyglassTraces-trace');
    this.node.setAttribute('data-spyglass-trace', '');
    this.treeNode = el(doc, 'div', 'jp-SpyglassTraces-tree');
    this.treeNode.setAttribute('role', 'tree');
    this.detail = el(doc, 'div', 'jp-SpyglassTraces-detail');
    this.detail.setAttribute('data-spyglass-call-detail', '');
    this.node.append(this.treeNode, this.detail);
  }

  /** Shows a trace; the same trace again (a poll) keeps what is folded and selected. */
  show(answer: TraceAnswer): void {
    const same = answer.trace_id === this.traceId;
    this.traceId = answer.trace_id;
    this.tree = buildCallTree(answer.calls);
    this.node.dataset.traceId = answer.trace_id;
    this.node.dataset.calls = String(answer.calls.length);
    if (!same) {
      this.collapsed = answer.calls.length > ROWS_SHOWN ? collapsedBelow(this.tree, 1) : new Set();
      this.selected = this.tree.roots[0]?.call.id ?? null;
      this.limit = ROWS_SHOWN;
    }
    this.drawTree(answer.calls_truncated);
    this.drawDetail();
  }

  clear(text: string): void {
    this.traceId = null;
    this.tree = null;
    this.treeNode.replaceChildren();
    this.detail.replaceChildren(el(this.node.ownerDocument, 'p', 'jp-SpyglassTraces-hint', text));
  }

  private drawTree(truncated: boolean): void {
    const doc = this.node.ownerDocument;
    if (!this.tree) return;
    const rows = visibleRows(this.tree, this.collapsed);
    const nodes: HTMLElement[] = rows.slice(0, this.limit).map(({ node, depth }) => {
      const call = node.call;
      const row = el(doc, 'div', 'jp-SpyglassTraces-treeRow');
      row.setAttribute('role', 'treeitem');
      row.setAttribute('data-spyglass-tree-row', call.op_name);
      row.dataset.callId = call.id;
      row.dataset.status = call.status;
      row.style.paddingLeft = `${depth * 14 + 4}px`;
      row.classList.toggle('jp-mod-selected', call.id === this.selected);
      const toggle = el(
        doc,
        'span',
        'jp-SpyglassTraces-toggle',
        node.children.length === 0 ? '' : this.collapsed.has(call.id) ? '▸' : '▾',
      );
      toggle.addEventListener('click', (event) => {
        event.stopPropagation();
        if (this.collapsed.has(call.id)) this.collapsed.delete(call.id);
        else this.collapsed.add(call.id);
        this.drawTree(truncated);
      });
      row.append(
        toggle,
        el(doc, 'span', 'jp-SpyglassTraces-opName', call.op_name),
        el(doc, 'span', 'jp-SpyglassTraces-latency', formatLatency(call.latency)),
      );
      row.addEventListener('click', () => {
        this.selected = call.id;
        for (const other of this.treeNode.querySelectorAll('.jp-mod-selected'))
          other.classList.remove('jp-mod-selected');
        row.classList.add('jp-mod-selected');
        this.drawDetail();
      });
      return row;
    });
    if (rows.length > this.limit) {
      const more = el(
        doc,
        'button',
        'jp-SpyglassTraces-more',
        `show ${(rows.length - this.limit).toLocaleString('en')} more calls`,
      );
      more.type = 'button';
      more.addEventListener('click', () => {
        this.limit = rows.length;
        this.drawTree(truncated);
      });
      nodes.push(more);
    }
    if (truncated)
      nodes.push(
        el(
          doc,
          'p',
          'jp-SpyglassTraces-hint',
          'The trace has more calls than the server sends; read them with sg.Api().calls().',
        ),
      );
    this.treeNode.replaceChildren(...nodes);
  }

  private drawDetail(): void {
    const doc = this.node.ownerDocument;
    const call = this.selected ? this.tree?.byId.get(this.selected)?.call : undefined;
    this.onSelect?.(call ?? null);
    if (!call) {
      this.detail.replaceChildren();
      return;
    }
    const header = el(doc, 'div', 'jp-SpyglassTraces-detailHeader');
    header.append(
      el(doc, 'span', 'jp-SpyglassTraces-opName', call.op_name),
      el(doc, 'span', `jp-SpyglassTraces-status jp-SpyglassTraces-status-${call.status}`, call.status),
      el(doc, 'span', 'jp-SpyglassTraces-latency', formatLatency(call.latency)),
      el(doc, 'span', 'jp-SpyglassTraces-cost', formatCost(call.cost)),
    );
    const imageUrl = this.imageUrl;
    const options: ValueViewOptions = imageUrl ? { imageUrl: (path) => imageUrl(call.session_id, path) } : {};
    const parts: HTMLElement[] = [header];
    if (call.exception) parts.push(el(doc, 'pre', 'jp-SpyglassTraces-exception', call.exception));
    parts.push(
      section(doc, 'Inputs', parseValue(call.inputs_json), call.inputs_truncated, call.inputs_size, options),
    );
    if (call.status !== 'error')
      parts.push(
        section(
          doc,
          'Output',
          parseValue(call.output_json),
          call.output_truncated,
          call.output_size,
          options,
        ),
      );
    if (call.usage_json !== null) parts.push(section(doc, 'Usage', parseValue(call.usage_json), false));
    if (call.attributes_json !== null) {
      parts.push(section(doc, 'Attributes', parseValue(call.attributes_json), false));
    }
    this.detail.dataset.callId = call.id;
    this.detail.replaceChildren(...parts);
  }
}

function section(
  doc: Document,
  title: string,
  value: unknown,
  truncated: boolean,
  size?: number | null,
  options: ValueViewOptions = {},
): HTMLElement {
  const node = el(doc, 'section', 'jp-SpyglassTraces-section');
  node.setAttribute('data-spyglass-value', title.toLowerCase());
  node.append(el(doc, 'h4', undefined, title));
  if (truncated) {
    const stored = size ? ` (${size.toLocaleString('en')} characters stored)` : '';
    node.append(
      el(
        doc,
        'p',
        'jp-SpyglassTraces-truncated',
        `Cut short in this view${stored}; the store keeps the whole value.`,
      ),
    );
  }
  node.append(renderValue(doc, value, options));
  return node;
}

export type { TraceCall };
