/** The subset of run metadata that fixes how long a run took. */
export interface RunTimes {
  state: string | null;
  created_at: number | null;
  finished_at: number | null;
  heartbeat_at: number | null;
  updated_at: number | null;
}

const LIVE = new Set(['running', 'preempting']);

/**
 * Seconds the run has run: until now while it is live, else until it finished (or, for a crashed run, its last
 * sign of life). Null without a creation time.
 */
export function runDurationSeconds(run: RunTimes, nowSeconds: number): number | null {
  if (run.created_at === null) return null;
  const end = LIVE.has(run.state ?? '')
    ? nowSeconds
    : (run.finished_at ?? run.heartbeat_at ?? run.updated_at ?? nowSeconds);
  return Math.max(0, end - run.created_at);
}

/** A duration as wandb shows it: `42s`, `3m 07s`, `2h 05m`, `3d 4h`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}
