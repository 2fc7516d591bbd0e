/**
 * The comparison panel's data as the server's /evals and /evals/compare answer it (docs/server-api.md#evals).
 * Pairing, regression ordering and aggregates are computed once, in Python (spyglass/evals/comparison.py), for
 * the panel, the report and sg.compare_evaluations alike; the page checks the shape and shows it.
 */

import { isRecord } from '../is-record.js';

/** {count, mean?, true_count?} of a score; other keys when a scorer's summarize returned its own. */
export interface ScoreAggregate {
  count?: number;
  mean?: number;
  true_count?: number;
}

export interface AmountAggregate {
  count: number;
  mean?: number;
  total?: number;
  p50?: number;
  p95?: number;
  max?: number;
}

/** One evaluation as the listing names it. */
export interface EvaluationEntry {
  run_id: string;
  run_name: string;
  state: string;
  created_at: number | null;
  label: string;
  evaluation: string | null;
  dataset: string | null;
  model: { name: string | null; version: string | null };
  examples: number | null;
  failed: number | null;
}

/** Aggregates over an evaluation's rows: per score column, latency (s), cost, tokens. */
export interface EvaluationAggregates {
  scores: Record<string, ScoreAggregate>;
  latency: AmountAggregate;
  cost: AmountAggregate;
  tokens: AmountAggregate;
  examples: number;
  failed: number;
}

export interface ComparedEvaluation extends EvaluationEntry {
  aggregates: EvaluationAggregates;
}

/** One example's result in one evaluation; `output` is untrusted model output, shown only as text. */
export interface ExampleResult {
  example: number | null;
  output: unknown;
  output_truncated: boolean;
  output_length: number | null;
  scores: Record<string, unknown>;
  latency: number | null;
  cost: number | null;
  tokens: number | null;
  status: string | null;
  error: string | null;
  call_id: string | null;
}

export const OUTCOMES = ['regression', 'mixed', 'improvement', 'same', 'missing'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface ComparedExample {
  key: string;
  example: number | null;
  digest: string | null;
  inputs: Record<string, unknown>;
  outcome: Outcome;
  /** The summed score change of the worst evaluation against the baseline; null when unpaired. */
  delta: number | null;
  /** One per evaluation, in the comparison's order; null where the example is missing. */
  results: (ExampleResult | null)[];
}

export interface Comparison {
  project: string;
  evaluations: ComparedEvaluation[];
  scores: string[];
  counts: Record<Outcome, number>;
  total_examples: number;
  examples: ComparedExample[];
  examples_truncated: boolean;
}

/** An answer that does not have the shape the panel reads. */
export class EvalsShapeError extends Error {
  constructor(what: string) {
    super(`the evals endpoint answered ${what}; is the server's Spyglass the same version as the page's?`);
    this.name = 'EvalsShapeError';
  }
}

function requireArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new EvalsShapeError(`no ${what} list`);
  return value;
}

function requireEntry(value: unknown, index: number): void {
  if (!isRecord(value) || typeof value.run_id !== 'string' || typeof value.label !== 'string') {
    throw new EvalsShapeError(`an evaluation without run_id or label (#${index})`);
  }
}

/** Checks a /evals answer: {project, evaluations: [entry]}. */
export function parseEvaluationList(raw: unknown): EvaluationEntry[] {
  if (!isRecord(raw)) throw new EvalsShapeError('something other than an object');
  const list = requireArray(raw.evaluations, 'evaluations');
  list.forEach(requireEntry);
  return list as EvaluationEntry[];
}

/** Checks a /evals/compare answer: every example has one result (or null) per evaluation. */
export function parseComparison(raw: unknown): Comparison {
  if (!isRecord(raw)) throw new EvalsShapeError('something other than an object');
  const evaluations = requireArray(raw.evaluations, 'evaluations');
  evaluations.forEach((entry, index) => {
    requireEntry(entry, index);
    if (!isRecord((entry as Record<string, unknown>).aggregates)) {
      throw new EvalsShapeError(`an evaluation without aggregates (#${index})`);
    }
  });
  const scores = requireArray(raw.scores, 'scores');
  if (!scores.every((s) => typeof s === 'string')) throw new EvalsShapeError('a score name that is not text');
  const examples = requireArray(raw.examples, 'examples');
  for (const example of examples) {
    if (
      !isRecord(example) ||
      typeof example.key !== 'string' ||
      !OUTCOMES.includes(example.outcome as Outcome) ||
      !Array.isArray(example.results) ||
      example.results.length !== evaluations.length
    ) {
      throw new EvalsShapeError('an example without a key, an outcome or one result per evaluation');
    }
  }
  return raw as unknown as Comparison;
}

/** The data of an EVALS_MIME_TYPE output (sg.compare_evaluations): which evaluations, baseline first. */
export interface EvalsOutputData {
  project: string;
  store_root: string;
  run_ids: string[];
}

/** Checks an EVALS_MIME_TYPE payload (saved notebooks are untrusted input); null when it has another shape. */
export function parseEvalsOutput(raw: unknown): EvalsOutputData | null {
  if (!isRecord(raw)) return null;
  const { project, store_root, run_ids } = raw;
  const text = (value: unknown): value is string => typeof value === 'string' && value !== '';
  if (!text(project) || !text(store_root) || !Array.isArray(run_ids) || !run_ids.every(text)) return null;
  return { project, store_root, run_ids: [...run_ids] };
}
