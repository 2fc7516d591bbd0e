import { el } from '../dom.js';
import { formatCost, formatLatency, formatTokens } from '../traces/call-format.js';
import { formatScore, inputsText, outputText, scoresText } from './eval-format.js';
import type { ComparedExample, Comparison } from './eval-types.js';

/** Characters of one output drawn; the store keeps the whole value (sg.Api().run(...).table(...)). */
const VIEW_CHARS = 65_536;
/** Rows drawn at once; the rest behind a "show more" button. */
const ROW_PAGE = 500;

/**
 * The per-example diff: a table in the comparison's order (regressions first) with each evaluation's scores and
 * their change against the baseline; a click opens the example with every evaluation's output side by side.
 * Every value is untrusted and goes in through textContent.
 */
export class ExampleDiffView {
  readonly node: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly more: HTMLButtonElement;
  private readonly detail: HTMLElement;
  private shown = ROW_PAGE;
  private examples: ComparedExample[] = [];
  private comparison: Comparison | null = null;
  private names: string[] = [];
  private selectedKey: string | null = null;

  constructor(
    private readonly doc: Document,
    private readonly onSelect: (example: ComparedExample) => void,
  ) {
    this.node = el(doc, 'div', 'jp-SpyglassEvals-examples');
    this.table = el(doc, 'table', 'jp-SpyglassEvals-exampleTable');
    this.table.setAttribute('data-spyglass-eval-examples', '');
    this.more = el(doc, 'button', 'jp-SpyglassEvals-more', 'Show more examples');
    this.more.type = 'button';
    this.more.hidden = true;
    this.more.addEventListener('click', () => {
      this.shown += ROW_PAGE;
      this.drawRows();
    });
    this.detail = el(doc, 'div', 'jp-SpyglassEvals-detail');
    this.detail.setAttribute('data-spyglass-eval-detail', '');
    const box = el(doc, 'div', 'jp-SpyglassEvals-tableBox');
    box.append(this.table, this.more);
    this.node.append(box, this.detail);
  }

  show(
    comparison: Comparison,
    names: string[],
    examples: ComparedExample[],
    selectedKey: string | null,
  ): void {
    this.comparison = comparison;
    this.names = names;
    this.examples = examples;
    this.selectedKey = selectedKey;
    this.shown = ROW_PAGE;
    const head = el(this.doc, 'thead');
    const row = el(this.doc, 'tr');
    for (const name of ['Outcome', 'Example', 'Inputs', ...names])
      row.append(el(this.doc, 'th', undefined, name));
    head.append(row);
    this.table.replaceChildren(head, el(this.doc, 'tbody'));
    this.drawRows();
    const selected = examples.find((e) => e.key === selectedKey) ?? null;
    if (selected) this.showDetail(selected);
    else
      this.detail.replaceChildren(
        el(this.doc, 'p', 'jp-SpyglassEvals-hint', 'Select an example to compare its outputs.'),
      );
  }

  private drawRows(): void {
    const comparison = this.comparison;
    const body = this.table.tBodies[0];
    if (!comparison || !body) return;
    body.replaceChildren(
      ...this.examples.slice(0, this.shown).map((example) => {
        const row = el(this.doc, 'tr', 'jp-SpyglassEvals-row');
        row.setAttribute('data-spyglass-eval-example', example.key);
        row.dataset.outcome = example.outcome;
        row.classList.toggle('jp-mod-selected', example.key === this.selectedKey);
        row.tabIndex = 0;
        const cells = [
          example.outcome,
          example.example === null ? '' : `#${example.example}`,
          inputsText(example.inputs),
          ...comparison.evaluations.map((_, i) => scoresText(example, i, comparison.scores)),
        ];
        for (const text of cells) row.append(el(this.doc, 'td', undefined, text));
        row.addEventListener('click', () => this.select(example));
        row.addEventListener('keydown', (event) => {
          if (event.key === 'Enter') this.select(example);
        });
        return row;
      }),
    );
    this.more.hidden = this.examples.length <= this.shown;
  }

  private select(example: ComparedExample): void {
    this.selectedKey = example.key;
    for (const row of this.table.querySelectorAll('tr.jp-SpyglassEvals-row')) {
      row.classList.toggle('jp-mod-selected', row.getAttribute('data-spyglass-eval-example') === example.key);
    }
    this.showDetail(example);
    this.onSelect(example);
  }

  private showDetail(example: ComparedExample): void {
    const comparison = this.comparison;
    if (!comparison) return;
    const doc = this.doc;
    const title = `Example ${example.example === null ? '' : `#${example.example} `}· ${example.outcome}`;
    const inputs = el(doc, 'pre', 'jp-SpyglassEvals-value', JSON.stringify(example.inputs, null, 2));
    const columns = el(doc, 'div', 'jp-SpyglassEvals-outputs');
    example.results.forEach((result, index) => {
      const column = el(doc, 'section', 'jp-SpyglassEvals-output');
      column.setAttribute('data-spyglass-eval-output', String(index));
      column.append(el(doc, 'h4', undefined, this.names[index] ?? ''));
      if (!result) {
        column.append(el(doc, 'p', 'jp-SpyglassEvals-hint', 'This example is not in this evaluation.'));
        columns.append(column);
        return;
      }
      const facts = [
        `status ${result.status ?? '?'}`,
        ...comparison.scores.map((s) => `${s} ${formatScore(result.scores[s])}`),
        `latency ${formatLatency(result.latency)}`,
        result.cost === null ? '' : `cost ${formatCost(result.cost)}`,
        result.tokens === null ? '' : `${formatTokens(result.tokens)} tokens`,
      ].filter(Boolean);
      column.append(el(doc, 'p', 'jp-SpyglassEvals-facts', facts.join(' · ')));
      if (result.error) column.append(el(doc, 'pre', 'jp-SpyglassEvals-error', result.error));
      const text = outputText(result);
      const cut = text.length > VIEW_CHARS;
      column.append(el(doc, 'pre', 'jp-SpyglassEvals-value', cut ? text.slice(0, VIEW_CHARS) : text));
      if (cut || result.output_truncated) {
        const length = result.output_length ?? text.length;
        const note = `Cut short in this view (${length.toLocaleString('en')} characters stored); the store keeps the whole output.`;
        column.append(el(doc, 'p', 'jp-SpyglassEvals-hint', note));
      }
      columns.append(column);
    });
    this.detail.replaceChildren(
      el(doc, 'h3', undefined, title),
      el(doc, 'h4', undefined, 'Inputs'),
      inputs,
      columns,
    );
  }
}
