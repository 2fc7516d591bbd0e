import { Widget } from '@lumino/widgets';
import type { View } from 'vega';
import { button, el, select } from './dom.js';
import { describeError } from './errors.js';
import { aggregateBarsSpec, type BarsTheme, DEFAULT_BARS_THEME } from './evals/aggregate-bars-spec.js';
import { ExampleDiffView } from './evals/ExampleDiffView.js';
import {
  amountRows,
  barRows,
  EvalCompareState,
  type ExampleFilter,
  evaluationNames,
} from './evals/eval-compare-state.js';
import {
  type Comparison,
  type EvaluationEntry,
  OUTCOMES,
  parseComparison,
  parseEvaluationList,
} from './evals/eval-types.js';
import { onThemeChange } from './heat-theme.js';
import { formatCost, formatLatency, formatTokens } from './traces/call-format.js';
import { embedChart } from './vega-render.js';

/** Where the panel reads evaluations: the server's /evals and /evals/compare (a fake in tests). */
export interface EvalsSource {
  list(): Promise<unknown>;
  compare(runIds: readonly string[]): Promise<unknown>;
}

export interface EvalComparePanelOptions {
  source: EvalsSource;
  project: string;
  /** The evaluations to compare, baseline first; without them the two newest (the older the baseline). */
  runIds?: readonly string[];
}

const FILTERS: [ExampleFilter, string][] = [
  ['all', 'all examples'],
  ['changed', 'changed'],
  ...OUTCOMES.map((o): [ExampleFilter, string] => [o, o]),
];

/**
 * Two or more evaluations of a project side by side: a picker of the project's evaluations, aggregate bars per
 * scorer, cost and latency per evaluation, and the per-example diff with regressions first; a click on an
 * example shows every evaluation's output as text (docs/evaluations.md#comparison-panel).
 */
export class EvalComparePanel extends Widget {
  private readonly state = new EvalCompareState();
  private readonly source: EvalsSource;
  private readonly picker: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly counts: HTMLElement;
  private readonly chart: HTMLElement;
  private readonly amounts: HTMLTableElement;
  private readonly filter: HTMLSelectElement;
  private readonly diff: ExampleDiffView;
  private comparison: Comparison | null = null;
  private evaluations: EvaluationEntry[] = [];
  private chosen: string[];
  private view: View | null = null;
  private stopTheme: (() => void) | null = null;
  private generation = 0;

  constructor(options: EvalComparePanelOptions) {
    super();
    this.addClass('jp-SpyglassEvals');
    this.node.setAttribute('data-spyglass-evals', options.project);
    this.title.label = `Evaluations: ${options.project}`;
    this.source = options.source;
    this.chosen = [...(options.runIds ?? [])];
    const doc = this.node.ownerDocument;
    this.picker = el(doc, 'fieldset', 'jp-SpyglassEvals-picker');
    this.notice = el(doc, 'p', 'jp-SpyglassEvals-notice');
    this.notice.hidden = true;
    this.counts = el(doc, 'p', 'jp-SpyglassEvals-counts');
    this.counts.setAttribute('data-spyglass-eval-counts', '');
    this.chart = el(doc, 'div', 'jp-SpyglassEvals-chart');
    this.chart.setAttribute('data-spyglass-eval-chart', '');
    this.amounts = el(doc, 'table', 'jp-SpyglassEvals-amounts');
    this.amounts.setAttribute('data-spyglass-eval-amounts', '');
    this.filter = select(doc, FILTERS, 'jp-SpyglassEvals-filter');
    this.filter.setAttribute('aria-label', 'examples');
    this.filter.addEventListener('change', () => {
      if (this.state.setFilter(this.filter.value as ExampleFilter)) this.drawExamples();
    });
    this.diff = new ExampleDiffView(doc, (example) => {
      this.state.selectedKey = example.key;
    });
    const top = el(doc, 'div', 'jp-SpyglassEvals-top');
    top.append(this.chart, this.amounts);
    this.node.append(this.picker, this.notice, this.counts, top, this.filter, this.diff.node);
  }

  /** Reads the project's evaluations and the comparison of the chosen ones; resolves when both are shown. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    try {
      this.evaluations = parseEvaluationList(await this.source.list());
      if (this.isDisposed || generation !== this.generation) return;
      if (this.chosen.length === 0)
        this.chosen = this.evaluations
          .slice(0, 2)
          .map((e) => e.run_id)
          .reverse();
      this.drawPicker();
      if (this.chosen.length === 0) {
        this.setNotice(
          `No evaluations in this project yet: run evaluation.evaluate(model, project=...) first.`,
        );
        return;
      }
      const comparison = parseComparison(await this.source.compare(this.chosen));
      if (this.isDisposed || generation !== this.generation) return;
      this.comparison = comparison;
      this.setNotice(null);
      this.drawComparison();
    } catch (error) {
      if (!this.isDisposed) this.setNotice(`Cannot compare the evaluations: ${describeError(error)}`);
    }
  }

  protected override onAfterAttach(): void {
    this.stopTheme = onThemeChange(() => void this.drawChart());
    void this.refresh();
  }

  protected override onBeforeDetach(): void {
    this.stopTheme?.();
    this.stopTheme = null;
  }

  override dispose(): void {
    this.stopTheme?.();
    this.view?.finalize();
    super.dispose();
  }

  private drawPicker(): void {
    const doc = this.node.ownerDocument;
    const legend = el(
      doc,
      'legend',
      undefined,
      'Evaluations (checked ones are compared; the first is the baseline)',
    );
    const boxes = this.evaluations.map((entry) => {
      const label = el(doc, 'label', 'jp-SpyglassEvals-pick');
      const box = el(doc, 'input');
      box.type = 'checkbox';
      box.value = entry.run_id;
      box.checked = this.chosen.includes(entry.run_id);
      box.setAttribute('data-spyglass-eval-pick', entry.run_id);
      const index = this.chosen.indexOf(entry.run_id);
      const role = index === 0 ? ' (baseline)' : '';
      label.append(box, doc.createTextNode(` ${entry.label} · ${entry.run_id}${role}`));
      return label;
    });
    const compare = button(doc, 'Compare', () => this.pick(), 'jp-SpyglassEvals-compare');
    this.picker.replaceChildren(legend, ...boxes, compare);
  }

  /** The checked evaluations, those kept from the last choice first (in its order), new ones oldest first. */
  private pick(): void {
    const checked = [...this.picker.querySelectorAll<HTMLInputElement>('input[type=checkbox]')]
      .filter((box) => box.checked)
      .map((box) => box.value);
    const kept = this.chosen.filter((id) => checked.includes(id));
    const added = checked.filter((id) => !kept.includes(id)).reverse();
    this.chosen = [...kept, ...added];
    this.state.selectedKey = null;
    void this.refresh();
  }

  private drawComparison(): void {
    const comparison = this.comparison;
    if (!comparison) return;
    const names = evaluationNames(comparison.evaluations);
    const counts = OUTCOMES.filter((o) => comparison.counts[o]).map((o) => `${comparison.counts[o]} ${o}`);
    const shown = comparison.examples_truncated
      ? ` (the first ${comparison.examples.length.toLocaleString('en')} are listed)`
      : '';
    this.counts.textContent = `${comparison.total_examples.toLocaleString('en')} examples: ${counts.join(', ')}${shown}. Baseline: ${names[0]}.`;
    this.node.dataset.regressions = String(comparison.counts.regression);
    this.drawAmounts(comparison);
    this.drawExamples();
    void this.drawChart();
  }

  private drawAmounts(comparison: Comparison): void {
    const doc = this.node.ownerDocument;
    const head = el(doc, 'tr');
    for (const name of [
      'Evaluation',
      'Failed',
      'Latency mean',
      'p50',
      'p95',
      'Cost total',
      'Cost / example',
      'Tokens',
    ])
      head.append(el(doc, 'th', undefined, name));
    const rows = amountRows(comparison).map((r) => {
      const row = el(doc, 'tr');
      const cells = [
        r.evaluation,
        `${r.failed}/${r.examples}`,
        formatLatency(r.latencyMean),
        formatLatency(r.latencyP50),
        formatLatency(r.latencyP95),
        formatCost(r.costTotal),
        formatCost(r.costMean),
        formatTokens(r.tokensTotal),
      ];
      for (const text of cells) row.append(el(doc, 'td', undefined, text));
      return row;
    });
    const thead = el(doc, 'thead');
    thead.append(head);
    const tbody = el(doc, 'tbody');
    tbody.append(...rows);
    this.amounts.replaceChildren(thead, tbody);
  }

  private drawExamples(): void {
    const comparison = this.comparison;
    if (!comparison) return;
    const names = evaluationNames(comparison.evaluations);
    this.diff.show(comparison, names, this.state.visible(comparison), this.state.selectedKey);
  }

  private async drawChart(): Promise<void> {
    const comparison = this.comparison;
    if (!comparison || this.isDisposed) return;
    const rows = barRows(comparison);
    this.view?.finalize();
    this.view = null;
    if (rows.length === 0) {
      this.chart.replaceChildren(
        el(this.node.ownerDocument, 'p', 'jp-SpyglassEvals-hint', 'No numeric scores to chart.'),
      );
      return;
    }
    const plot = el(this.node.ownerDocument, 'div', 'jp-SpyglassEvals-plot');
    this.chart.replaceChildren(plot);
    const spec = aggregateBarsSpec(rows, evaluationNames(comparison.evaluations), this.theme());
    try {
      this.view = await embedChart(plot, spec);
    } catch (error) {
      this.chart.replaceChildren(
        el(
          this.node.ownerDocument,
          'p',
          'jp-SpyglassEvals-notice',
          `Cannot draw the scores: ${describeError(error)}`,
        ),
      );
    }
  }

  private theme(): BarsTheme {
    const style = getComputedStyle(this.node);
    const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    return {
      text: read('--jp-ui-font-color1', DEFAULT_BARS_THEME.text),
      line: read('--jp-border-color1', DEFAULT_BARS_THEME.line),
    };
  }

  private setNotice(text: string | null): void {
    this.notice.hidden = text === null;
    this.notice.textContent = text ?? '';
  }
}
