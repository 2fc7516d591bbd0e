import {
  assignedRunColor,
  type DrawnLine,
  drawOrder,
  EXTENT_DATASET,
  LINE_PARAMS,
  type LineRow,
  lineExtent,
  lineStrokes,
  type Stroke,
  tickCountFor,
  tracePolyline,
  type WorkspaceLineOptions,
  workspaceLineFrameSpec,
  workspaceLineSpec,
} from '@spyglass/charts';
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { embedChart, replaceDataset, resizeChart } from '../vega-render.js';

/** What shapes the frame: a change re-embeds it, anything else only refills its extent. */
export type LinePlotOptions = Omit<WorkspaceLineOptions, 'lines' | 'bands' | 'groups' | 'highlight'>;

type Scale = ((value: number) => number) & { invert?: (pixel: number) => number };

/**
 * A per-run line chart: Vega draws the frame (axes, legend, title, brush) from two extent rows, and the lines are
 * painted on a canvas laid over the plot area through the frame's own scales. A zoom costs one small dataflow
 * run plus one canvas pass, instead of Vega's interpreted per-vertex encoding of ~100k points.
 */
export class LinePlotView {
  readonly node = document.createElement('div');
  private readonly host = document.createElement('div');
  private readonly canvas = document.createElement('canvas');
  private frame: View | null = null;
  private key = '';
  private options: LinePlotOptions | null = null;
  private lines: DrawnLine[] = [];
  private range: [number, number] | null = null;
  private highlight = new Set<string>();
  private disposed = false;
  /** How long the last canvas pass took (ms), for benchmarks. */
  lastPaintMs = 0;

  constructor() {
    this.node.className = 'jp-SpyglassLinePlot';
    this.node.style.position = 'relative';
    this.canvas.className = 'jp-SpyglassLinePlot-lines';
    // The brush and the hover lookup listen on the frame underneath.
    Object.assign(this.canvas.style, { position: 'absolute', pointerEvents: 'none', left: '0', top: '0' });
    this.node.append(this.host, this.canvas);
  }

  /** The frame's view (scales, origin, brush signal), once shown. */
  get view(): View | null {
    return this.frame;
  }

  /** The lines painted, sorted by x in display units. */
  get drawn(): readonly DrawnLine[] {
    return this.lines;
  }

  /** Draws `lines` (re-embedding the frame only when its shape changed); `range` is the zoomed x range or null. */
  async show(
    options: LinePlotOptions,
    lines: DrawnLine[],
    range: [number, number] | null,
    highlight: string[],
  ): Promise<void> {
    const extent = lineExtent(lines, { range, logX: options.logX, logY: options.logY });
    // A width that asks for another tick count re-embeds (Vega-Lite fixes the axis's tickCount in the spec).
    const ticks = typeof options.width === 'number' ? tickCountFor(options.width) : 0;
    const key = JSON.stringify({ ...options, width: undefined, ticks });
    this.options = options;
    this.lines = lines;
    this.range = range;
    this.highlight = new Set(highlight);
    if (!this.frame || key !== this.key) {
      this.frame?.finalize();
      this.frame = null;
      this.host.replaceChildren();
      const spec = workspaceLineFrameSpec({ ...options, extent, highlight });
      const view = await embedChart(this.host, spec, { renderer: 'svg' });
      if (this.disposed) {
        view.finalize();
        return;
      }
      this.frame = view;
      this.key = key;
    } else {
      if (typeof options.width === 'number') this.frame.width(options.width);
      this.frame.signal(LINE_PARAMS.highlight, highlight);
      await replaceDataset(this.frame, EXTENT_DATASET, extent);
    }
    this.paint();
  }

  async setHighlight(runIds: string[]): Promise<void> {
    this.highlight = new Set(runIds);
    if (!this.frame) return;
    await this.frame.signal(LINE_PARAMS.highlight, runIds).runAsync();
    this.paint();
  }

  async resize(width: number): Promise<void> {
    if (!this.frame) return;
    if (this.options && tickCountFor(width) !== tickCountFor(Number(this.options.width))) {
      // Another tick count: re-embed the frame at the new width (the lines stay as they are).
      await this.show({ ...this.options, width }, this.lines, this.range, [...this.highlight]);
      return;
    }
    await resizeChart(this.frame, width);
    this.paint();
  }

  /** The self-contained Vega-Lite spec of what is shown, the drawn rows inlined (what exports save). */
  exportSpec(): TopLevelSpec {
    const options = this.options ?? { metric: '', runs: [] };
    return workspaceLineSpec({
      ...options,
      titleAndLegend: true,
      highlight: [...this.highlight],
      lines: rowsOf(this.lines),
    });
  }

  dispose(): void {
    this.disposed = true;
    this.frame?.finalize();
    this.frame = null;
    this.node.remove();
  }

  /** Paints every line over the frame's plot area, clipped to it, highlighted runs last. */
  private paint(): void {
    const start = performance.now();
    this.paintLines();
    this.lastPaintMs = performance.now() - start;
  }

  private paintLines(): void {
    const view = this.frame;
    const surface = this.host.querySelector('svg, canvas');
    if (!view || !surface || !this.options) return;
    const [ox, oy] = view.origin();
    const width = Math.max(0, view.width());
    const height = Math.max(0, view.height());
    const box = surface.getBoundingClientRect();
    const outer = this.node.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    const canvas = this.canvas;
    canvas.style.left = `${box.left - outer.left + ox}px`;
    canvas.style.top = `${box.top - outer.top + oy}px`;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const pixelWidth = Math.round(width * ratio);
    const pixelHeight = Math.round(height * ratio);
    if (canvas.width !== pixelWidth) canvas.width = pixelWidth;
    if (canvas.height !== pixelHeight) canvas.height = pixelHeight;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const x = view.scale('x') as Scale | undefined;
    const y = view.scale('y') as Scale | undefined;
    if (!x || !y) return;
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    const axes = { logX: this.options.logX === true, logY: this.options.logY === true };
    const smoothing = this.options.smoothing === true;
    const ordered = drawOrder(this.lines, this.highlight);
    const stroke = (line: DrawnLine, ys: Float64Array, style: Stroke) => {
      ctx.globalAlpha = style.opacity;
      ctx.lineWidth = style.width;
      ctx.strokeStyle = assignedRunColor(line.run, this.options?.colors);
      ctx.beginPath();
      tracePolyline(line.xs, ys, x, y, ctx, axes);
      ctx.stroke();
    };
    // As the exported spec layers them: every raw line, then every smoothed line on top.
    for (const line of ordered) stroke(line, line.ys, lineStrokes(line.run, this.highlight, smoothing).raw);
    if (smoothing)
      for (const line of ordered) {
        const style = lineStrokes(line.run, this.highlight, true).smoothed;
        if (line.smoothed && style) stroke(line, line.smoothed, style);
      }
    ctx.globalAlpha = 1;
  }
}

/** Rows of the exported spec: one per drawn point. */
function rowsOf(lines: readonly DrawnLine[]): LineRow[] {
  const rows: LineRow[] = [];
  for (const line of lines)
    for (let i = 0; i < line.xs.length; i++)
      rows.push({ run: line.run, x: line.xs[i], y: line.ys[i], smoothed: line.smoothed?.[i] ?? null });
  return rows;
}
