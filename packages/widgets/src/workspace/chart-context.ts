import type { ChartSettings, RunColors, RunColumn, TableRun } from '@spyglass/charts';
import type { WorkspaceData } from '@spyglass/store';
import { workspaceMessages as text } from './workspace-messages.js';

/** What every panel draws from: the data layer, the runs the filters keep, and the shared chart settings. */
export interface ChartContext {
  data: WorkspaceData;
  /** Runs to draw, in table order (damaged runs excluded). */
  runs: TableRun[];
  columns: RunColumn[];
  labels: Record<string, string>;
  /** Every run's colour, assigned over the whole project by creation order (so filters never recolour a run). */
  colors: RunColors;
  /** Groups of `runs` when the table is grouped (line plots draw bands), else null. */
  groups: { key: string; runIds: string[] }[] | null;
  settings: ChartSettings;
  highlight: string[];
  /** Settles once the `visible_runs` SQL view matches `runs` (custom panels query it). */
  visibleRunsView: Promise<void>;
}

export interface ChartEvents {
  hover(runId: string | null): void;
  remove(panelId: string): void;
}

const BUILT_IN_AXES = new Set(['step', 'wall', 'relative']);

/** The step metric a `define_metric` x axis names, or undefined for step, wall and relative time. */
export function stepMetricOf(axis: string): string | undefined {
  return BUILT_IN_AXES.has(axis) ? undefined : axis;
}

export function xTitleOf(axis: string): string {
  if (axis === 'wall') return text.xWall;
  if (axis === 'relative') return text.xRelative;
  return axis;
}

/** M4 buckets for a plot width: half a bucket per pixel keeps every line at ≤ ~1000 points, spikes intact. */
export function bucketsFor(plotWidth: number): number {
  return Math.max(50, Math.min(250, Math.round(plotWidth / 2)));
}
