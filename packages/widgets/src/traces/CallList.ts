import { el } from '../dom.js';
import { parseSummary, summaryText } from './call-feedback.js';
import { formatCost, formatLatency, formatStart, formatTokens } from './call-format.js';
import type { RootCall } from './call-types.js';

const COLUMNS = ['Op', 'Started', 'Latency', 'Tokens', 'Cost', 'Calls', 'Status', 'Feedback'] as const;

/** The root calls of a page as a table; a row click selects its trace. */
export class CallList {
  readonly node: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;

  constructor(
    doc: Document,
    private readonly onSelect: (call: RootCall) => void,
  ) {
    this.node = el(doc, 'table', 'jp-SpyglassTraces-list');
    this.node.setAttribute('data-spyglass-call-list', '');
    const head = el(doc, 'thead');
    const row = el(doc, 'tr');
    for (const name of COLUMNS) row.append(el(doc, 'th', undefined, name));
    head.append(row);
    this.body = el(doc, 'tbody');
    this.node.append(head, this.body);
  }

  show(calls: readonly RootCall[], selectedTrace: string | null): void {
    const doc = this.node.ownerDocument;
    this.body.replaceChildren(
      ...calls.map((call) => {
        const row = el(doc, 'tr', 'jp-SpyglassTraces-row');
        row.dataset.traceId = call.trace_id;
        row.dataset.status = call.status;
        row.setAttribute('data-spyglass-call-row', call.op_name);
        row.classList.toggle('jp-mod-selected', call.trace_id === selectedTrace);
        row.tabIndex = 0;
        const tokens = formatTokens(call.total_tokens);
        const cells = [
          call.op_name,
          formatStart(call.started_at),
          formatLatency(call.latency),
          tokens,
          formatCost(call.cost),
          call.call_count.toLocaleString('en'),
          call.status,
          summaryText(parseSummary(call.feedback)),
        ];
        cells.forEach((text, index) => {
          const cell = el(doc, 'td', `jp-SpyglassTraces-cell-${COLUMNS[index]?.toLowerCase()}`, text);
          if (index === 0 && call.exception) cell.title = call.exception;
          if (index === 3 && call.input_tokens !== null) {
            cell.title = `${call.input_tokens} in, ${call.output_tokens ?? 0} out`;
          }
          row.append(cell);
        });
        row.addEventListener('click', () => this.onSelect(call));
        row.addEventListener('keydown', (event) => {
          if (event.key === 'Enter') this.onSelect(call);
        });
        return row;
      }),
    );
  }
}
