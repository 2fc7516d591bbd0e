import type { LineageLayout, ViewEdge } from '@spyglass/lineage';

/**
 * The node an arrow key moves to from `id`: right follows an outgoing edge, left an incoming one (the nearest
 * vertically), up and down go to the nearest node above or below in the same column. Null when there is none.
 */
export function nodeToward(
  layout: LineageLayout,
  edges: readonly ViewEdge[],
  id: string,
  key: string,
): string | null {
  const here = layout.nodes.find((n) => n.view.id === id);
  if (!here) return null;
  const centre = (n: { x: number; y: number; width: number; height: number }) => ({
    x: n.x + n.width / 2,
    y: n.y + n.height / 2,
  });
  const from = centre(here);
  let candidates: string[];
  if (key === 'ArrowRight') candidates = edges.filter((e) => e.source === id).map((e) => e.target);
  else if (key === 'ArrowLeft') candidates = edges.filter((e) => e.target === id).map((e) => e.source);
  else if (key === 'ArrowUp' || key === 'ArrowDown') {
    const sign = key === 'ArrowUp' ? -1 : 1;
    candidates = layout.nodes
      .filter((n) => Math.abs(centre(n).x - from.x) < 1 && sign * (centre(n).y - from.y) > 0)
      .map((n) => n.view.id);
  } else return null;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const placed = layout.nodes.find((n) => n.view.id === candidate);
    if (!placed) continue;
    const distance = Math.abs(centre(placed).y - from.y);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
