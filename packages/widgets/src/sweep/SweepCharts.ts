import {
  IMPORTANCE_DATASET,
  metricByTrialRows,
  metricByTrialSpec,
  PARALLEL_LINES,
  PARALLEL_TICKS,
  parallelCoordinatesData,
  parallelCoordinatesSpec,
  parameterImportanceRows,
  parameterImportanceSpec,
  paramScatterSpec,
  SCATTER_DATASET,
  scatterAxisKind,
  scatterParameters,
  scatterRows,
  TRIALS_DATASET,
} from '@spyglass/charts';
import type { SweepSnapshot } from '@spyglass/protocol';
import { el, setOptions } from '../dom.js';
import { heatThemeOf, onThemeChange } from '../heat-theme.js';
import { LiveChart } from './LiveChart.js';
import { sweepMessages as m } from './sweep-messages.js';

const MIN_WIDTH = 240;
/** Below this width the two half-width charts stack. */
const TWO_COLUMNS = 720;

/**
 * The sweep panel's charts: parallel coordinates across the top, metric-by-trial and the parameter scatter side
 * by side, parameter importance below. Each chart keeps its Vega view and takes new snapshots as dataset
 * changes; the scatter's parameter picker keeps the user's choice across snapshots. Text colours are the
 * JupyterLab theme's: a theme switch re-embeds the charts that carry them. Clicking a trial's line or point
 * calls `onTrialClick` with its index.
 */
export class SweepCharts {
  readonly node = el(document, 'div', 'jp-SpyglassSweep-charts');
  private readonly parallel: LiveChart;
  private readonly byTrial: LiveChart;
  private readonly scatter: LiveChart;
  private readonly importance: LiveChart;
  private readonly picker = el(document, 'select', 'jp-SpyglassSweep-picker');
  private readonly importanceEmpty = el(document, 'p', 'jp-SpyglassSweep-empty', m.noImportance);
  private readonly pair = el(document, 'div', 'jp-SpyglassSweep-pair');
  private snapshot: SweepSnapshot | null = null;
  /** The parameter the user picked; null until they pick one (then the most important one is shown). */
  private chosen: string | null = null;
  private readonly stopThemeWatch: () => void;

  constructor(onError: (message: string) => void, onTrialClick: ((trial: number) => void) | null = null) {
    this.parallel = new LiveChart('parallel coordinates', onError, onTrialClick);
    this.parallel.node.setAttribute('data-spyglass-sweep-parallel', '');
    this.byTrial = new LiveChart('metric by trial', onError, onTrialClick);
    this.byTrial.node.setAttribute('data-spyglass-sweep-by-trial', '');
    this.scatter = new LiveChart('scatter', onError, onTrialClick);
    this.scatter.node.setAttribute('data-spyglass-sweep-scatter', '');
    this.importance = new LiveChart('importance', onError);
    this.importance.node.setAttribute('data-spyglass-sweep-importance', '');
    this.picker.setAttribute('data-spyglass-sweep-param', '');
    this.picker.setAttribute('aria-label', m.scatterPicker);
    this.picker.addEventListener('change', () => {
      this.chosen = this.picker.value;
      void this.draw();
    });
    const pickerLabel = el(document, 'label', 'jp-SpyglassSweep-pickerLabel');
    pickerLabel.append(`${m.scatterPicker} `, this.picker);
    this.pair.append(
      figure(m.metricTitle, this.byTrial.node),
      figure(m.scatterTitle, pickerLabel, this.scatter.node),
    );
    this.node.append(
      figure(m.parallelTitle, this.parallel.node),
      this.pair,
      figure(m.importanceTitle, this.importance.node, this.importanceEmpty),
    );
    this.stopThemeWatch = onThemeChange(() => void this.draw());
  }

  /** Shows a snapshot; resolves when every chart has drawn it. */
  update(snapshot: SweepSnapshot): Promise<void> {
    this.snapshot = snapshot;
    this.updatePicker(snapshot);
    return this.draw();
  }

  /** Redraws at the current width (after a resize). */
  redraw(): Promise<void> {
    return this.draw();
  }

  dispose(): void {
    this.stopThemeWatch();
    for (const chart of [this.parallel, this.byTrial, this.scatter, this.importance]) chart.dispose();
  }

  private async draw(): Promise<void> {
    const snapshot = this.snapshot;
    if (!snapshot) return;
    const full = Math.max(MIN_WIDTH, Math.floor(this.node.clientWidth || 640));
    const twoColumns = full >= TWO_COLUMNS;
    this.pair.classList.toggle('jp-mod-stacked', !twoColumns);
    const half = twoColumns ? Math.max(MIN_WIDTH, Math.floor((full - 16) / 2)) : full;
    const theme = heatThemeOf(this.node.isConnected ? this.node : document.body);
    // The theme is part of the spec: another theme's colours need a new embed, not a dataset change.
    const shape = JSON.stringify([snapshot.sweep.parameters, snapshot.sweep.metric, theme]);
    const { lines, ticks } = parallelCoordinatesData(snapshot);
    const param = this.picker.value;
    const importance = parameterImportanceRows(snapshot);
    this.importanceEmpty.hidden = importance.length > 0;
    this.importance.node.hidden = importance.length === 0;
    const drawn = [
      this.parallel.show({
        key: shape,
        spec: () => parallelCoordinatesSpec({ snapshot, width: full, theme }),
        datasets: { [PARALLEL_LINES]: lines, [PARALLEL_TICKS]: ticks },
        width: full,
      }),
      this.byTrial.show({
        key: shape,
        spec: () => metricByTrialSpec({ snapshot, width: half }),
        datasets: { [TRIALS_DATASET]: metricByTrialRows(snapshot) },
        width: half,
      }),
      this.importance.show({
        key: shape,
        spec: () => parameterImportanceSpec({ snapshot, theme }),
        datasets: { [IMPORTANCE_DATASET]: importance },
        width: null,
      }),
    ];
    if (param) {
      drawn.push(
        this.scatter.show({
          key: JSON.stringify([shape, param, scatterAxisKind(snapshot, param)]),
          spec: () => paramScatterSpec({ snapshot, param, width: half }),
          datasets: { [SCATTER_DATASET]: scatterRows(snapshot, param) },
          width: half,
        }),
      );
    }
    await Promise.all(drawn);
    this.parallel.node.setAttribute(
      'data-spyglass-sweep-lines',
      String(new Set(lines.map((r) => r.trial)).size),
    );
    this.byTrial.node.setAttribute(
      'data-points',
      String(snapshot.trials.filter((t) => t.metric !== null).length),
    );
    this.scatter.node.setAttribute('data-points', param ? String(scatterRows(snapshot, param).length) : '0');
  }

  private updatePicker(snapshot: SweepSnapshot): void {
    const params = scatterParameters(snapshot);
    const shown = [...this.picker.options].map((o) => o.value);
    if (JSON.stringify(shown) !== JSON.stringify(params)) {
      setOptions(
        this.picker,
        params.map((p) => [p, p]),
      );
    }
    // The user's choice wins; until there is one, follow the most important parameter.
    const mostImportant = parameterImportanceRows(snapshot).find((r) => params.includes(r.param))?.param;
    const wanted =
      this.chosen && params.includes(this.chosen) ? this.chosen : (mostImportant ?? params[0] ?? '');
    if (this.picker.value !== wanted) this.picker.value = wanted;
  }
}

function figure(title: string, ...children: HTMLElement[]): HTMLElement {
  const node = el(document, 'figure', 'jp-SpyglassSweep-figure');
  node.append(el(document, 'figcaption', 'jp-SpyglassSweep-caption', title), ...children);
  return node;
}
