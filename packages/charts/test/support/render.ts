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

/** Stroked paths (lines, not filled shapes) with their colour, opacity, width and vertex count. */
export function strokes(svg: string) {
  return [...svg.matchAll(/<path [^>]*d="([^"]*)"[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => /stroke="#/.test(tag) && !/fill="#/.test(tag.replace(/fill="none"/, '')))
    .map((tag) => ({
      stroke: /stroke="([^"]*)"/.exec(tag)?.[1],
      opacity: Number(/stroke-opacity="([^"]*)"/.exec(tag)?.[1] ?? /opacity="([^"]*)"/.exec(tag)?.[1] ?? 1),
      width: Number(/stroke-width="([^"]*)"/.exec(tag)?.[1] ?? 1),
      vertices: vertexCount(/ d="([^"]*)"/.exec(tag)?.[1] ?? ''),
    }));
}
