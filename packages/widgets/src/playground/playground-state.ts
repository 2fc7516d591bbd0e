import { formatCost, formatLatency, formatTokens } from '../traces/call-format.js';
import type { RunResult } from './playground-types.js';

/** `{{name}}`: a prompt's slot, as spyglass/inference/prompt.py finds them (the server fills them). */
const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The sampling parameters a column sets in the panel (the server accepts these and a few more). */
export const PARAMETER_NAMES = ['temperature', 'max_tokens', 'top_p', 'seed'] as const;
export type ParameterName = (typeof PARAMETER_NAMES)[number];

export interface ColumnSpec {
  id: number;
  provider: string;
  model: string;
  parameters: Partial<Record<ParameterName, number>>;
}

/** A column's result as kept for saving: with the variables it was run with. */
export interface RunRecord extends RunResult {
  variables: Record<string, string>;
}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/** A parameter typed in the panel that is not a number in its range. */
export class ParameterInputError extends Error {
  constructor(name: string, text: string, range: string) {
    super(`${name} must be ${range}, got ${JSON.stringify(text)}`);
    this.name = 'ParameterInputError';
  }
}

const RANGES: Record<ParameterName, [low: number, high: number, integer: boolean]> = {
  temperature: [0, 2, false],
  max_tokens: [1, 32768, true],
  top_p: [0, 1, false],
  seed: [0, Number.MAX_SAFE_INTEGER, true],
};

/** A parameter field's text as its value: empty is unset (the provider's default), else a number in range. */
export function parseParameter(name: ParameterName, text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const [low, high, integer] = RANGES[name];
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < low || value > high || (integer && !Number.isInteger(value))) {
    throw new ParameterInputError(
      name,
      text,
      `${integer ? 'an integer' : 'a number'} from ${low} to ${high}`,
    );
  }
  return value;
}

/**
 * The playground's state, DOM-free: the prompt (system and user message, `{{variable}}` values), the columns
 * (provider, model, parameters) and the runs made with the current prompt, which "save" stores as dataset rows.
 * Editing the prompt's messages starts a new set of runs: the saved rows always belong to the saved prompt.
 */
export class PlaygroundState {
  name = 'prompt';
  dataset = '';
  system = '';
  user = '';
  values: Record<string, string> = {};
  readonly columns: ColumnSpec[] = [];
  private records: RunRecord[] = [];
  private recordsKey = '';
  private nextId = 1;

  addColumn(provider: string, model = '', parameters: ColumnSpec['parameters'] = {}): ColumnSpec {
    const column = { id: this.nextId++, provider, model, parameters: { ...parameters } };
    this.columns.push(column);
    return column;
  }

  removeColumn(id: number): void {
    const index = this.columns.findIndex((c) => c.id === id);
    if (index >= 0) this.columns.splice(index, 1);
  }

  column(id: number): ColumnSpec | undefined {
    return this.columns.find((c) => c.id === id);
  }

  messages(): ChatMessage[] {
    const messages: ChatMessage[] = [];
    if (this.system.trim() !== '') messages.push({ role: 'system', content: this.system });
    messages.push({ role: 'user', content: this.user });
    return messages;
  }

  /** The `{{name}}` slots of the messages, in first-seen order. */
  variables(): string[] {
    const names = this.messages().flatMap((m) => [...m.content.matchAll(VARIABLE)].map((match) => match[1]));
    return [...new Set(names)];
  }

  /** Why the prompt cannot run yet (for the panel's notice), or null. */
  problem(): string | null {
    if (this.columns.length === 0) return 'Add a model to run the prompt.';
    if (this.user.trim() === '') return 'Write the user message.';
    const unnamed = this.columns.findIndex((c) => c.model.trim() === '');
    if (unnamed >= 0) return `Name the model of column ${unnamed + 1}.`;
    return null;
  }

  /** The body of POST /playground/run. */
  runRequest(): { prompt: object; columns: object[] } {
    return {
      prompt: { name: this.name, messages: this.messages(), variables: this.variableValues() },
      columns: this.columns.map((c) => ({
        provider: c.provider,
        model: c.model.trim(),
        parameters: c.parameters,
      })),
    };
  }

  /** Keeps a run's results (one per column) for saving; a changed prompt starts a new set first. */
  receive(results: RunResult[], variables: Record<string, string>): void {
    const key = JSON.stringify(this.messages());
    if (key !== this.recordsKey) {
      this.records = [];
      this.recordsKey = key;
    }
    for (const result of results) this.records.push({ ...result, variables: { ...variables } });
  }

  /** The runs "save" would store: those made with the prompt as it is now. */
  get runs(): readonly RunRecord[] {
    return JSON.stringify(this.messages()) === this.recordsKey ? this.records : [];
  }

  /** The body of POST /playground/save. */
  saveRequest(): { prompt: object; runs: object[]; dataset: string | undefined } {
    return {
      prompt: { name: this.name, messages: this.messages() },
      runs: this.runs.map((r) => ({
        provider: r.provider,
        model: r.model,
        parameters: r.parameters,
        variables: r.variables,
        output: r.output ?? null,
        error: r.error ?? null,
        usage: r.usage ?? null,
        cost: r.cost ?? null,
        latency: r.latency ?? null,
        trace_id: r.trace_id ?? null,
      })),
      dataset: this.dataset.trim() || undefined,
    };
  }

  variableValues(): Record<string, string> {
    return Object.fromEntries(this.variables().map((name) => [name, this.values[name] ?? '']));
  }
}

/** A result's figures as the panel shows them: tokens in and out, latency, cost. */
export function resultFigures(result: RunResult): { tokens: string; latency: string; cost: string } {
  const usage = result.usage ?? null;
  const tokens =
    usage && (usage.input_tokens !== undefined || usage.output_tokens !== undefined)
      ? `${formatTokens(usage.input_tokens ?? null) || '0'} in · ${formatTokens(usage.output_tokens ?? null) || '0'} out`
      : 'no token counts';
  return {
    tokens,
    latency: result.latency === undefined ? '' : formatLatency(result.latency),
    cost: formatCost(result.cost ?? null) || 'no price',
  };
}
