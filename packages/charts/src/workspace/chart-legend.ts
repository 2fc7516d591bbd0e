/**
 * What a workspace chart's legend lists. The legend is HTML under the plot (not Vega's), so names are never cut and
 * a long list scrolls; past `max` entries it stops and says "+N more" rather than build thousands of nodes.
 */

export interface LegendEntry {
  key: string;
  label: string;
  color: string;
}

export interface Legend {
  entries: LegendEntry[];
  /** Series drawn but not listed (0 when every one is). */
  more: number;
}

/** Above this many series the legend lists the first ones and counts the rest. */
export const MAX_LEGEND_ENTRIES = 50;

/** The legend of the series `keys` (in legend order), named by `label` and coloured by `color`. */
export function chartLegend(
  keys: readonly string[],
  label: (key: string) => string,
  color: (key: string) => string,
  max = MAX_LEGEND_ENTRIES,
): Legend {
  const unique = [...new Set(keys)];
  const shown = unique.slice(0, Math.max(0, max));
  return {
    entries: shown.map((key) => ({ key, label: label(key), color: color(key) })),
    more: unique.length - shown.length,
  };
}

/** The legend's overflow note: "+N more", or '' when every series is listed. */
export function moreLabel(more: number): string {
  return more > 0 ? `+${more.toLocaleString('en-US')} more` : '';
}
