/**
 * Axis sizing by width: a tick label of a step count ("12,000") is ~35 px at 11 px type, so one tick per ~80 px
 * keeps labels apart at every chart width; Vega additionally drops any label that would still overlap.
 */
const PIXELS_PER_TICK = 80;
const MIN_TICKS = 2;
const MAX_TICKS = 12;

/** How many x ticks a plot `width` pixels wide asks Vega for (a hint Vega rounds to nice values). */
export function tickCountFor(width: number): number {
  if (!Number.isFinite(width) || width <= 0) return MIN_TICKS;
  return Math.max(MIN_TICKS, Math.min(MAX_TICKS, Math.floor(width / PIXELS_PER_TICK)));
}

/** The x axis of a workspace chart `width` pixels wide (undefined: sized to its container, Vega's default ticks). */
export function xAxisFor(width: number | 'container' | undefined) {
  return {
    ...(typeof width === 'number' ? { tickCount: tickCountFor(width) } : {}),
    labelOverlap: 'greedy' as const,
    labelFlush: true,
  };
}
