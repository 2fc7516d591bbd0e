import { lineageMessages } from './messages.js';
import type { ViewNode } from './neighbourhood.js';

/** The text of a drawn node: a title, a line below it, and chips (artifact aliases). */
export interface NodeText {
  title: string;
  subtitle: string;
  chips: string[];
}

/** Approximate advance of one character of a title (LABEL_FONT_PX.title, 12 px); layout and drawing use it. */
export const CHAR_WIDTH = 7;
const PADDING_X = 12;
const MIN_WIDTH = 140;
const MAX_WIDTH = 240;
const LINE_HEIGHT = 16;
const PADDING_Y = 8;

/** What a node says. Names come from data and are shown as text only. */
export function nodeText(view: ViewNode): NodeText {
  if (view.group) {
    const n = view.group.members.length;
    return {
      title: lineageMessages.moreNodes(n),
      subtitle: lineageMessages.groupOf(view.group.kind, n),
      chips: [],
    };
  }
  const run = view.node?.run;
  if (run) {
    return {
      title: run.name || lineageMessages.unnamedRun(run.run_id),
      subtitle: lineageMessages.runLine(run.state, run.job_type),
      chips: [],
    };
  }
  const artifact = view.node?.artifact;
  if (artifact) {
    return {
      title: `${artifact.name}:${artifact.version}`,
      subtitle: artifact.type,
      chips: artifact.aliases,
    };
  }
  return { title: view.node?.label ?? view.id, subtitle: '', chips: [] };
}

/** Size of a node's box: wide enough for its longest line within bounds, one text line per row. */
export function nodeSize(text: NodeText): { width: number; height: number } {
  const chipChars = text.chips.reduce((sum, chip) => sum + chip.length + 3, 0);
  const chars = Math.max(text.title.length, text.subtitle.length, chipChars);
  const width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, chars * CHAR_WIDTH + 2 * PADDING_X));
  const rows = 2 + (text.chips.length > 0 ? 1 : 0);
  return { width, height: rows * LINE_HEIGHT + 2 * PADDING_Y };
}

/** Characters of text that fit in a box `width` wide. */
export function charsThatFit(width: number): number {
  return Math.max(1, Math.floor((width - 2 * PADDING_X) / CHAR_WIDTH));
}

/** Cuts text to `max` characters, ending with an ellipsis when cut. */
export function fitText(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

export const NODE_PADDING_X = PADDING_X;
export const NODE_PADDING_Y = PADDING_Y;
export const NODE_LINE_HEIGHT = LINE_HEIGHT;
