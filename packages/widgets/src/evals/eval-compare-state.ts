import type { ComparedExample, Comparison, EvaluationEntry, Outcome } from './eval-types.js';

/** Which examples the list shows: all, those whose outcome changed (not `same`), or one outcome. */
export type ExampleFilter = 'all' | 'changed' | Outcome;

/** One bar: an evaluation's mean on a score. */
export interface BarRow {
  evaluation: string;
  order: number;
  score: string;
  mean: number;
  count: number;
}

/** One evaluation's amounts: latency in seconds, cost in dollars, tokens, failures. */
export interface AmountRow {
  evaluation: string;
  examples: number;
  failed: number;
  latencyMean: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
  costTotal: number | null;
  costMean: number | null;
  tokensTotal: number | null;
}

/**
 * The names the panel gives evaluations: their label (`<evaluation> · <model>`), with the run id added where two
 * share a label (the same model evaluated twice), so bars, columns and legends never merge two evaluations.
 */
export function evaluationNames(evaluations: readonly EvaluationEntry[]): string[] {
  const seen = new Map<string, number>();
  for (const e of evaluations) seen.set(e.label, (seen.get(e.label) ?? 0) + 1);
  return evaluations.map((e) => ((seen.get(e.label) ?? 0) > 1 ? `${e.label} (${e.run_id})` : e.label));
}

/** The bars of the aggregate chart: one per evaluation and score that has a mean. */
export function barRows(comparison: Comparison): BarRow[] {
  const names = evaluationNames(comparison.evaluations);
  const rows: BarRow[] = [];
  for (const score of comparison.scores) {
    comparison.evaluations.forEach((evaluation, order) => {
      const aggregate = evaluation.aggregates.scores[score];
      if (aggregate && typeof aggregate.mean === 'number' && Number.isFinite(aggregate.mean)) {
        rows.push({
          evaluation: names[order],
          order,
          score,
          mean: aggregate.mean,
          count: aggregate.count ?? 0,
        });
      }
    });
  }
  return rows;
}

const finite = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Cost, latency and tokens per evaluation, from the aggregates over its rows. */
export function amountRows(comparison: Comparison): AmountRow[] {
  const names = evaluationNames(comparison.evaluations);
  return comparison.evaluations.map((evaluation, index) => {
    const { latency, cost, tokens, examples, failed } = evaluation.aggregates;
    return {
      evaluation: names[index],
      examples,
      failed,
      latencyMean: finite(latency.mean),
      latencyP50: finite(latency.p50),
      latencyP95: finite(latency.p95),
      costTotal: finite(cost.total),
      costMean: finite(cost.mean),
      tokensTotal: finite(tokens.total),
    };
  });
}

/** A score as a number (booleans as 0/1), or null when it is none. */
export function scoreNumber(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return finite(value);
}

/** The change of `score` for an example in evaluation `index` against the baseline (index 0). */
export function scoreDelta(example: ComparedExample, index: number, score: string): number | null {
  const base = example.results[0];
  const other = example.results[index];
  if (!base || !other) return null;
  const a = scoreNumber(base.scores[score]);
  const b = scoreNumber(other.scores[score]);
  return a === null || b === null ? null : b - a;
}

/** The example list's filter and selection; the order is the server's (regressions first). */
export class EvalCompareState {
  filter: ExampleFilter = 'all';
  selectedKey: string | null = null;

  /** Sets the filter; true when it changed. */
  setFilter(filter: ExampleFilter): boolean {
    if (filter === this.filter) return false;
    this.filter = filter;
    return true;
  }

  visible(comparison: Comparison): ComparedExample[] {
    const { filter } = this;
    if (filter === 'all') return comparison.examples;
    if (filter === 'changed') return comparison.examples.filter((e) => e.outcome !== 'same');
    return comparison.examples.filter((e) => e.outcome === filter);
  }

  /** The selected example when it is still in the comparison, else null (a reload may drop it). */
  selected(comparison: Comparison): ComparedExample | null {
    return comparison.examples.find((e) => e.key === this.selectedKey) ?? null;
  }
}
