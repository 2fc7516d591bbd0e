import type { RunMetadata } from '@spyglass/protocol';
import type { RunSummary } from '@spyglass/store';
import { messages } from './messages.js';

/** The header's badge for a run whose rows do not (or did not all) reach the store. */
export interface HealthBadge {
  /** 'disk full', 'read-only file system', 'directory deleted', ... or 'rows dropped'. */
  reason: string;
  text: string;
  title: string;
}

/**
 * What the header says about storing the run's rows: the run's kernel's word when a kernel of this page runs it
 * (it is current), else run.json's "degraded" as last written; rows dropped while the store refused writes are
 * shown even after it accepts them again. Null when there is nothing to say.
 */
export function healthBadge(summary: RunSummary, meta: RunMetadata | null): HealthBadge | null {
  const degraded = summary.degraded !== undefined ? summary.degraded : (meta?.degraded ?? null);
  const dropped = Math.max(degraded?.dropped_rows ?? 0, meta?.dropped_rows ?? 0);
  if (degraded) {
    return {
      reason: degraded.reason,
      text: messages.degraded(degraded.reason),
      title: messages.degradedDetail(degraded.message, degraded.unstored_rows, dropped),
    };
  }
  if (dropped > 0) return { reason: 'rows dropped', text: messages.rowsDropped(dropped), title: '' };
  return null;
}
