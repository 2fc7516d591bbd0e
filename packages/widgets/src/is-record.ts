/** A plain JSON object (not null, not an array): the first check of every server answer's shape. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
