/** A utilisation in percent: `cpu.percent`, `gpu.0.utilization`, `memory_percent`... */
const PERCENT_METRIC = /(?:^|[./_])(?:percent|pct|util|utilization|utilisation)$/i;

/**
 * The fixed y range of a metric whose scale is known, or null to fit the data. Utilisation metrics span 0–100 %,
 * so a CPU pinned at 99.95 % reads as full, not as a wild line between 99.95 and 100.
 */
export function fixedDomain(metric: string): [number, number] | null {
  const name = metric.startsWith('system/') ? metric.slice('system/'.length) : metric;
  return PERCENT_METRIC.test(name) ? [0, 100] : null;
}
