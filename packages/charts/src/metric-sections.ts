/** A group of charts in a run panel: metrics sharing the prefix before their first '/'. */
export interface MetricSection {
  /** The prefix; UNGROUPED_SECTION for metrics without one. */
  name: string;
  metrics: string[];
}

/** Section of metrics without a '/' prefix (wandb calls it "Charts" too). */
export const UNGROUPED_SECTION = 'Charts';

/**
 * Groups metric names by the part before their first '/', like wandb's run page: the ungrouped section first,
 * then the others alphabetically; metrics keep the order given within a section. `train/loss` is in "train",
 * `loss` in "Charts"; a leading or trailing '/' is not a prefix.
 */
export function sectionsFromMetrics(metrics: readonly string[]): MetricSection[] {
  const byName = new Map<string, string[]>();
  for (const metric of metrics) {
    const slash = metric.indexOf('/');
    const name = slash > 0 && slash < metric.length - 1 ? metric.slice(0, slash) : UNGROUPED_SECTION;
    const list = byName.get(name);
    if (list) list.push(metric);
    else byName.set(name, [metric]);
  }
  return [...byName.entries()]
    .map(([name, list]) => ({ name, metrics: list }))
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

const rank = (name: string) => (name === UNGROUPED_SECTION ? 0 : 1);

/**
 * The define_metric entry that applies to a metric, as the kernel resolves it: the exact name first, then the
 * longest "prefix*" glob matching it (only a trailing '*' is a wildcard).
 */
export function definitionFor<T>(definitions: Readonly<Record<string, T>>, metric: string): T | undefined {
  if (Object.hasOwn(definitions, metric)) return definitions[metric];
  let best: string | null = null;
  for (const pattern of Object.keys(definitions)) {
    if (!pattern.endsWith('*') || !metric.startsWith(pattern.slice(0, -1))) continue;
    if (best === null || pattern.length > best.length) best = pattern;
  }
  return best === null ? undefined : definitions[best];
}

/** Metrics to chart: those no define_metric(hidden=True) entry hides. */
export function visibleMetrics(
  metrics: readonly string[],
  definitions: Readonly<Record<string, { hidden: boolean }>>,
): string[] {
  return metrics.filter((m) => definitionFor(definitions, m)?.hidden !== true);
}

/** Section of the system metrics stream; always last, like wandb's. */
export const SYSTEM_SECTION = 'system';

/** A chart a run panel should show: which stream its data comes from and what its x axis is. */
export interface PlannedChart {
  metric: string;
  stream: 'history' | 'system';
  /** A logged metric to chart against (define_metric step_metric), or null for the step (history) or runtime. */
  stepMetric: string | null;
}

export interface PlannedSection {
  name: string;
  charts: PlannedChart[];
}

/**
 * The sections of a run panel: visible history metrics grouped by prefix, each charted against its step metric
 * when one is defined and logged, then the system metrics in a section of their own.
 */
export function planSections(
  metrics: readonly string[],
  systemMetrics: readonly string[],
  definitions: Readonly<Record<string, { hidden: boolean; step_metric: string | null }>>,
): PlannedSection[] {
  const logged = new Set(metrics);
  const sections: PlannedSection[] = sectionsFromMetrics(visibleMetrics(metrics, definitions)).map((s) => ({
    name: s.name,
    charts: s.metrics.map((metric) => {
      const step = definitionFor(definitions, metric)?.step_metric ?? null;
      const usable = step !== null && step !== metric && logged.has(step);
      return { metric, stream: 'history', stepMetric: usable ? step : null };
    }),
  }));
  if (systemMetrics.length > 0) {
    sections.push({
      name: SYSTEM_SECTION,
      charts: systemMetrics.map((metric) => ({ metric, stream: 'system', stepMetric: null })),
    });
  }
  return sections;
}
