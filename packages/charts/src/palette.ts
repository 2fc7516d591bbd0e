/**
 * Run colours. A run keeps its colour wherever it is drawn and however many runs join later, because the colour
 * comes from a hash of the run id, not from the run's position in the data.
 */
export const RUN_PALETTE: readonly string[] = [
  '#4c78a8',
  '#f58518',
  '#54a24b',
  '#e45756',
  '#72b7b2',
  '#b279a2',
  '#eeca3b',
  '#9d755d',
  '#ff9da6',
  '#bab0ac',
];

/** FNV-1a over UTF-16 code units: cheap, deterministic, and the same in every JavaScript engine. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The colour of one run. */
export function runColor(runId: string): string {
  return RUN_PALETTE[hash(runId) % RUN_PALETTE.length];
}
