import { summarizeValue } from '../traces/call-format.js';
import { scoreDelta } from './eval-compare-state.js';
import type { ComparedExample, ExampleResult } from './eval-types.js';

/** Short texts of the comparison panel: a score, a change, an example's inputs and results. */

/** A score: ✓ / ✗ for booleans, 4 significant digits for numbers, `—` for none. */
export function formatScore(value: unknown): string {
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : '—';
  if (value === null || value === undefined) return '—';
  return summarizeValue(value, 40);
}

/** A change against the baseline: `+0.25`, `−1`, or empty when nothing changed or nothing compares. */
export function formatDelta(delta: number | null): string {
  if (delta === null || delta === 0 || !Number.isFinite(delta)) return '';
  const text = String(Math.abs(Number(delta.toPrecision(3))));
  return delta > 0 ? `+${text}` : `−${text}`;
}

/** `exact_match ✗ (−1) · closeness 0.25 (−0.75)` for one evaluation of an example. */
export function scoresText(example: ComparedExample, index: number, scores: readonly string[]): string {
  const result = example.results[index];
  if (!result) return 'missing';
  const parts = scores.map((score) => {
    const delta = index === 0 ? '' : formatDelta(scoreDelta(example, index, score));
    return `${score} ${formatScore(result.scores[score])}${delta ? ` (${delta})` : ''}`;
  });
  return result.status === 'error' ? ['failed', ...parts].join(' · ') : parts.join(' · ');
}

/** One line of an example's inputs: `question: "q1", expected: "a1"`, cut to `maxChars`. */
export function inputsText(inputs: Record<string, unknown>, maxChars = 120): string {
  const text = Object.entries(inputs)
    .map(([name, value]) => `${name}: ${summarizeValue(value, 60)}`)
    .join(', ');
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

/** An output as text: strings as they are, anything else as JSON. */
export function outputText(result: ExampleResult): string {
  const { output } = result;
  if (typeof output === 'string') return output;
  if (output === null || output === undefined) return '';
  return JSON.stringify(output, null, 2);
}
