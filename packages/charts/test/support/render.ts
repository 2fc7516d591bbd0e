import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Compiles with vega-lite and renders headless, optionally replacing the "points" dataset first. */
export async function renderSVG(spec: TopLevelSpec, points?: object[]): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  if (points) view.data('points', points);
  await view.runAsync();
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** The `d` attributes of the line marks' paths. */
export function linePaths(svg: string): string[] {
  const marks = svg.match(/<g class="mark-line role-mark[^"]*"[^>]*>.*?<\/g>/gs) ?? [];
  return marks.flatMap((g) => [...g.matchAll(/<path [^>]*d="([^"]*)"/g)].map((m) => m[1]));
}

/** Vertices of an SVG path made of M/L commands. */
export function vertexCount(d: string): number {
  return (d.match(/[ML]/g) ?? []).length;
}
