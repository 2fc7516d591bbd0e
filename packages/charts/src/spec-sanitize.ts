/**
 * Makes a Vega or Vega-Lite spec from run data (sg.plot / plot_table specs, custom panels, reports, and the rows
 * bound to any chart) unable to make the browser contact a host. Vega loads URLs through its loader, which
 * Spyglass makes refuse everything, but three routes bypass the loader: a CSS `url(...)` in any string that ends
 * up as paint or a cursor (`mark.fill: "url(http://host/x.svg#g)"` fetched the SVG), a row value drawn with
 * `scale: null`, and a tooltip's `image` entry. So:
 * - in the spec, a string holding a CSS `url(`/`image(`/`image-set(` (escapes and comments undone first) is
 *   removed, as is a `url`/`href` value that is not a `data:` URL and a `data.url`;
 * - in inline rows (`datasets`, `data.values`), such a string keeps its text but loses the parenthesis that
 *   would make it CSS, so cells still read as they were logged.
 * Expressions that build such a string at run time are caught in the page (vega-render's paint guard).
 */
export interface SanitizedSpec<T> {
  spec: T;
  /** Paths (`spec.mark.fill`) of what was removed, for a console note. */
  removed: string[];
  /** The path of the first `data.url`, if the spec named remote data (reports and panels refuse such specs). */
  remoteData: string | null;
}

const URL_KEYS = new Set(['url', 'href']);
const URL_VALUE_KEYS = new Set(['value', 'datum', 'condition']);
/** Where inline rows live; their strings are defused, not removed. */
const ROW_KEYS = new Set(['datasets', 'values']);
const CSS_LOADER = /(?:^|[^a-z0-9_-])(?:url|image|image-set|-webkit-image-set|cross-fade|src)\(/;

/** True when `text`, read as CSS, calls a function that loads a resource. */
export function loadsCss(text: string): boolean {
  if (!text.includes('(')) return false;
  const css = text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\\([0-9a-fA-F]{1,6})\s?/g, (_, hex: string) =>
      String.fromCodePoint(Number.parseInt(hex, 16) % 0x110000),
    )
    .replace(/\\(.)/g, '$1')
    .replace(/\s+\(/g, '(')
    .toLowerCase();
  return CSS_LOADER.test(css);
}

/** A row value with the same text that no CSS parser reads as a function call (fullwidth parenthesis). */
export function inertText(text: string): string {
  return loadsCss(text) ? text.replace(/\\/g, '\u29f5').replace(/\(/g, '\uff08') : text;
}

const isDataUrl = (value: string) => /^\s*data:/i.test(value);

/** The sanitized copy of `spec` (the input is not changed; parts without findings are shared). */
export function sanitizeVegaSpec<T>(spec: T): SanitizedSpec<T> {
  const result: SanitizedSpec<T> = { spec, removed: [], remoteData: null };
  result.spec = walk(spec, 'spec', { inUrl: false, inRows: false, parent: '' }, result) as T;
  return result;
}

/** Defuses the string values of chart rows (what replaceDataset inserts); returns `rows` itself when clean. */
export function sanitizeRows<R extends object>(rows: R[]): R[] {
  let out: R[] | null = null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown>;
    let copy: Record<string, unknown> | null = null;
    for (const key in row) {
      const value = row[key];
      if (typeof value === 'string' && loadsCss(value)) {
        copy ??= { ...row };
        copy[key] = inertText(value);
      }
    }
    if (copy) {
      out ??= rows.slice();
      out[i] = copy as R;
    }
  }
  return out ?? rows;
}

interface Context {
  inUrl: boolean;
  inRows: boolean;
  parent: string;
}

const REMOVE = Symbol('remove');

function walk(value: unknown, path: string, context: Context, result: SanitizedSpec<unknown>): unknown {
  if (typeof value === 'string') {
    if (context.inRows) return inertText(value);
    const remote = context.inUrl && !isDataUrl(value);
    if (remote || loadsCss(value)) {
      if (remote && /^data\b/.test(context.parent)) result.remoteData ??= path;
      result.removed.push(path);
      return REMOVE;
    }
    return value;
  }
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    value.forEach((item, i) => {
      const next = walk(item, `${path}[${i}]`, context, result);
      if (next !== item && !out) out = value.slice(0, i);
      if (out && next !== REMOVE) out.push(next);
    });
    return out ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  let out: Record<string, unknown> | null = null;
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [key, child] of entries) {
    const next = walk(
      child,
      `${path}.${key}`,
      {
        // Under a url/href channel its `value`/`datum` strings (in conditions too) are URLs; `field`, `test`
        // and the like are names and expressions.
        inUrl: URL_KEYS.has(key) || (context.inUrl && URL_VALUE_KEYS.has(key)),
        inRows: context.inRows || ROW_KEYS.has(key),
        parent: path.slice(path.lastIndexOf('.') + 1),
      },
      result,
    );
    if (next === child) continue;
    out ??= { ...(value as Record<string, unknown>) };
    if (next === REMOVE) delete out[key];
    else out[key] = next;
  }
  return out ?? value;
}
