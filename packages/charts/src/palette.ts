import { RUN_PALETTE } from '@spyglass/protocol';

/**
 * Run colours. In the workspace a run's colour comes from its place in its project's creation order
 * (`projectRunColors`): the first 20 runs of a project get 20 different colours, and a run keeps its colour across
 * reloads and however many runs join later, because later runs only take later slots. Where the project's runs are
 * not known (a single run's panel), `runColor` falls back to a hash of the run id.
 */

/**
 * A 20-colour categorical palette readable on light and dark backgrounds: every colour has a WCAG contrast of at
 * least 2.2 against white and 3.5 against #111, and any two are at least 0.09 apart in OKLab. Picked greedily
 * (each next colour the farthest from those before it), so a project's first few runs differ the most. It lives in
 * packages/protocol/fixtures/constants.json, which the Python SVG charts draw with too.
 */
export { RUN_PALETTE };

/** FNV-1a over UTF-16 code units: cheap, deterministic, and the same in every JavaScript engine. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Run id → colour, as `projectRunColors` assigns them. */
export type RunColors = Readonly<Record<string, string>>;

/** The colour of a run drawn without its project (a single run's panel): a hash of its id. */
export function runColor(runId: string): string {
  return RUN_PALETTE[hash(runId) % RUN_PALETTE.length];
}

/** A run's colour in a project's assignment (`projectRunColors`), its hashed colour when it has no slot there yet. */
export function assignedRunColor(runId: string, colors: RunColors | undefined): string {
  return colors?.[runId] ?? runColor(runId);
}

/** The `index`-th colour of the palette (cycling): groups and other ordered series take colours by position. */
export function paletteColor(index: number): string {
  return RUN_PALETTE[((index % RUN_PALETTE.length) + RUN_PALETTE.length) % RUN_PALETTE.length];
}

/**
 * Colours for every run of a project by creation order (created_at, then run id; a run without created_at sorts
 * last): deterministic from the run records alone, so no server state is needed and a reload gives the same colours.
 */
export function projectRunColors(
  runs: readonly { run_id: string; created_at: number | null | undefined }[],
): RunColors {
  const created = (r: { created_at: number | null | undefined }) =>
    typeof r.created_at === 'number' && Number.isFinite(r.created_at)
      ? r.created_at
      : Number.POSITIVE_INFINITY;
  const ordered = [...runs].sort((a, b) => {
    const byTime = created(a) - created(b);
    if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
    return a.run_id < b.run_id ? -1 : a.run_id > b.run_id ? 1 : 0;
  });
  const colors: Record<string, string> = {};
  ordered.forEach((run, i) => {
    colors[run.run_id] = paletteColor(i);
  });
  return colors;
}
