import type { LineageNode } from '@spyglass/protocol';

/** Which way a group's members hang off its parent: `out` members are its targets, `in` members its sources. */
export type GroupDirection = 'in' | 'out';

/** More siblings of one kind than this collapse into one "+K more" node unless expanded. */
export const DEFAULT_COLLAPSE_THRESHOLD = 8;

/** Siblings of "one kind": runs together; artifacts per artifact type (datasets apart from models). */
export function siblingKind(node: LineageNode): string {
  return node.kind === 'artifact' ? `artifact:${node.artifact?.type ?? ''}` : 'run';
}

/** Id of the "+K more" node for one parent, direction and sibling kind; never collides with run:/artifact: ids. */
export function groupId(parent: string, direction: GroupDirection, kind: string): string {
  return `group:${direction}:${kind}:${parent}`;
}

/**
 * Splits one level of siblings (sorted oldest first) into those drawn and those folded into "+K more". At most
 * `threshold` siblings are drawn as they are; above that, `threshold - 1` are drawn and the rest folded, so the
 * level still takes `threshold` slots. Siblings `keep` says must stay (the focus, the selected path, nodes drawn
 * already) are always drawn; the other slots go to the newest.
 */
export function splitSiblings(
  siblings: readonly LineageNode[],
  threshold: number,
  keep: (id: string) => boolean,
): { shown: LineageNode[]; hidden: LineageNode[] } {
  if (siblings.length <= threshold) return { shown: [...siblings], hidden: [] };
  const kept = new Set(siblings.filter((n) => keep(n.id)).map((n) => n.id));
  let room = Math.max(0, threshold - 1 - kept.size);
  for (let i = siblings.length - 1; i >= 0 && room > 0; i--) {
    if (!kept.has(siblings[i].id)) {
      kept.add(siblings[i].id);
      room--;
    }
  }
  const shown = siblings.filter((n) => kept.has(n.id));
  const hidden = siblings.filter((n) => !kept.has(n.id));
  return { shown, hidden };
}
