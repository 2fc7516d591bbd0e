/** The playground's data as the server's /playground endpoints answer it (docs/server-api.md#playground). */

import { isRecord } from '../is-record.js';

/** One provider of the server's table; `problem` says what the server lacks when it is not `ready`. */
export interface ProviderInfo {
  name: string;
  ready: boolean;
  problem: string | null;
  base_url_variable: string;
  key_variable: string | null;
}

export interface TokenUsage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
}

/** One column's answer: the output with its usage, cost and latency, or the `error` that stopped it. */
export interface RunResult {
  provider: string;
  model: string;
  parameters: Record<string, unknown>;
  output?: string;
  finish_reason?: string | null;
  usage?: TokenUsage | null;
  cost?: number | null;
  /** Seconds from the request to the answer. */
  latency?: number;
  trace_id?: string | null;
  error?: string;
}

export interface SaveAnswer {
  project: string;
  /** "project/name:vN" */
  prompt: string;
  dataset: string | null;
  rows: number;
}

/** An answer that does not have the shape the panel reads. */
export class PlaygroundShapeError extends Error {
  constructor(what: string) {
    super(
      `the playground endpoint answered ${what}; is the server's Spyglass the same version as the page's?`,
    );
    this.name = 'PlaygroundShapeError';
  }
}

export function parseProviders(raw: unknown): ProviderInfo[] {
  if (!isRecord(raw) || !Array.isArray(raw.providers)) throw new PlaygroundShapeError('without {providers}');
  const ok = raw.providers.every(
    (p) => isRecord(p) && typeof p.name === 'string' && typeof p.ready === 'boolean',
  );
  if (!ok) throw new PlaygroundShapeError('a provider without name and ready');
  return raw.providers as ProviderInfo[];
}

export function parseModels(raw: unknown): string[] {
  if (!isRecord(raw) || !Array.isArray(raw.models)) throw new PlaygroundShapeError('without {models}');
  return raw.models.filter((m): m is string => typeof m === 'string');
}

export function parseRunAnswer(raw: unknown, columns: number): RunResult[] {
  if (!isRecord(raw) || !Array.isArray(raw.results)) throw new PlaygroundShapeError('without {results}');
  if (raw.results.length !== columns) {
    throw new PlaygroundShapeError(`${raw.results.length} results for ${columns} columns`);
  }
  const ok = raw.results.every(
    (r) =>
      isRecord(r) &&
      typeof r.provider === 'string' &&
      typeof r.model === 'string' &&
      (typeof r.output === 'string' || typeof r.error === 'string'),
  );
  if (!ok) throw new PlaygroundShapeError('a result without provider, model and output or error');
  return raw.results as RunResult[];
}

export function parseSaveAnswer(raw: unknown): SaveAnswer {
  if (!isRecord(raw) || typeof raw.prompt !== 'string' || typeof raw.rows !== 'number') {
    throw new PlaygroundShapeError('without {prompt, rows}');
  }
  return {
    project: typeof raw.project === 'string' ? raw.project : '',
    prompt: raw.prompt,
    dataset: typeof raw.dataset === 'string' ? raw.dataset : null,
    rows: raw.rows,
  };
}
