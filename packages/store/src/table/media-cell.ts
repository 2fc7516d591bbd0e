/** The kinds of media a cell can reference (see docs/tables-and-media.md). */
export type MediaKind = 'image' | 'audio' | 'video' | 'html' | 'object3d' | 'histogram' | 'table';

/** A media reference cell: compact JSON with `_type`, a run-relative `path` or (histograms) inline bins. */
export interface MediaReference {
  type: MediaKind;
  path: string | null;
  caption: string | null;
  width: number | null;
  height: number | null;
  /** Histogram bin edges and counts (inline, no file). */
  bins: number[] | null;
  values: number[] | null;
  raw: Record<string, unknown>;
}

const KINDS = new Set<string>(['image', 'audio', 'video', 'html', 'object3d', 'histogram', 'table']);
const PREFIX = /^\s*\{\s*"_type"\s*:/;

/** True when text looks like a media reference, cheaply (no JSON parse). */
export function looksLikeMedia(text: string): boolean {
  return PREFIX.test(text);
}

/**
 * A media file path the page may fetch: relative, under `media/`, no `..`, no backslashes or schemes. The server
 * checks again; this keeps a crafted cell from even asking for anything else.
 */
export function isMediaPath(path: unknown): path is string {
  if (typeof path !== 'string' || !path.startsWith('media/')) return false;
  if (path.includes('\\') || path.includes('\0') || /[?#]/.test(path)) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

const numbers = (v: unknown): number[] | null =>
  Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null;

/** Parses a cell as a media reference; null for any other text (which the grid then shows as text). */
export function parseMediaReference(text: unknown): MediaReference | null {
  if (typeof text !== 'string' || !looksLikeMedia(text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  if (typeof o._type !== 'string' || !KINDS.has(o._type)) return null;
  const type = o._type as MediaKind;
  const path = isMediaPath(o.path) ? o.path : null;
  if (type !== 'histogram' && path === null) return null;
  return {
    type,
    path,
    caption: typeof o.caption === 'string' ? o.caption : null,
    width: typeof o.width === 'number' ? o.width : null,
    height: typeof o.height === 'number' ? o.height : null,
    bins: numbers(o.bins),
    values: numbers(o.values),
    raw: o,
  };
}
