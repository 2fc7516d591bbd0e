import type { TopLevelSpec } from 'vega-lite';
import { CustomSpecError } from './errors.js';

/** The dataset a custom panel's spec reads: the rows of its SQL query. */
export const QUERY_DATASET = 'table';

/**
 * What a new custom panel starts with. `visible_runs` is `runs` narrowed to what the table's filters keep, so a
 * custom panel follows the filters like every other panel (query `runs` to ignore them).
 */
export const DEFAULT_CUSTOM_SQL = 'SELECT name, created_at, duration FROM visible_runs';
export const DEFAULT_CUSTOM_SPEC = {
  mark: 'point',
  encoding: {
    x: { field: 'created_at', type: 'quantitative' },
    y: { field: 'duration', type: 'quantitative' },
    tooltip: [{ field: 'name', type: 'nominal' }],
  },
};

/** Finds a key anywhere in a JSON value whose presence would load data from outside the page. */
function findRemote(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findRemote(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'url') return `${path}.${key}`;
    const found = findRemote(child, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

/** Parses the text of a custom spec, throwing CustomSpecError with a message the panel editor shows. */
export function parseCustomSpec(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new CustomSpecError(`The Vega-Lite spec is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return validateCustomSpec(value);
}

/** Checks a custom spec: an object, with no `url` anywhere (the panel's data is its SQL result only). */
export function validateCustomSpec(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CustomSpecError('The Vega-Lite spec must be a JSON object.');
  }
  const remote = findRemote(value, 'spec');
  if (remote) {
    throw new CustomSpecError(
      `The Vega-Lite spec loads data from a URL (${remote}); custom panels draw only their SQL query's rows.`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * The spec a custom panel draws: the user's spec with its top-level data replaced by the query rows (in the named
 * dataset QUERY_DATASET, so new rows go in through a changeset) and a container width unless it sets its own.
 */
export function customPanelSpec(userSpec: unknown, rows: object[] = []): TopLevelSpec {
  const spec = validateCustomSpec(userSpec);
  const { data: _data, datasets: _datasets, ...rest } = spec;
  return {
    width: 'container',
    height: 200,
    autosize: { type: 'fit-x', contains: 'padding' },
    background: 'transparent',
    ...rest,
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { name: QUERY_DATASET },
    datasets: { [QUERY_DATASET]: rows },
  } as unknown as TopLevelSpec;
}
