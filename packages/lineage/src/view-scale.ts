/**
 * How big the drawn graph is on screen. The graph is drawn at its natural size (1:1, labels at their font sizes)
 * inside a scrolling viewport; it is shrunk to fit only while its smallest label stays readable, and the user
 * zooms from there. Pure arithmetic, so the rules are tested in Node.
 */

/** Font sizes (px at 1:1) of the text drawn in a node; CHAR_WIDTH in node-text.ts is measured at `title`. */
export const LABEL_FONT_PX = { title: 12, subtitle: 11, chip: 11, badge: 11 } as const;
/** The smallest label size (px on screen) the panel shrinks to on its own. */
export const MIN_LABEL_PX = 11;
/** Zoom limits for the user's own zooming (the fit button and zoom out may go below readable). */
export const MIN_SCALE = 0.1;
export const MAX_SCALE = 4;

/** Bounds of the viewport's height: short graphs get a short panel, tall ones scroll. */
export const VIEWPORT_HEIGHT = { min: 280, max: 420 } as const;
/** Room under the graph for a horizontal scrollbar. */
const SCROLLBAR_ROOM = 20;

export interface Size {
  width: number;
  height: number;
}

/** A view of the content: its scale and the scroll offsets of the viewport, in screen pixels. */
export interface ViewState {
  scale: number;
  scrollLeft: number;
  scrollTop: number;
}

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** The scale below which the smallest label would be drawn under `MIN_LABEL_PX`. */
export function readableScale(smallestLabelPx = Math.min(...Object.values(LABEL_FONT_PX))): number {
  return MIN_LABEL_PX / smallestLabelPx;
}

/** The scale that shows the whole content in the box, never enlarging past 1:1. */
export function fitScale(content: Size, box: Size): number {
  if (content.width <= 0 || content.height <= 0 || box.width <= 0 || box.height <= 0) return 1;
  return clampScale(Math.min(box.width / content.width, box.height / content.height, 1));
}

/**
 * The scale the panel picks by itself: the fitting scale when the whole graph fits with readable labels,
 * otherwise the smallest readable one (at most 1:1), leaving the rest to scrolling.
 */
export function autoScale(content: Size, box: Size): number {
  return clampScale(Math.max(fitScale(content, box), Math.min(1, readableScale())));
}

/** Whether the content drawn at `scale` fits in the box without scrolling. */
export function fitsAt(content: Size, box: Size, scale: number): boolean {
  return content.width * scale <= box.width + 0.5 && content.height * scale <= box.height + 0.5;
}

/** Height of the viewport for a graph `contentHeight` tall at 1:1, within VIEWPORT_HEIGHT. */
export function viewportHeight(contentHeight: number): number {
  const wanted = Math.ceil(contentHeight) + SCROLLBAR_ROOM;
  return Math.min(VIEWPORT_HEIGHT.max, Math.max(VIEWPORT_HEIGHT.min, wanted));
}

/** Offset of the content inside the viewport: centred while smaller than the box, else at the start. */
function inset(content: number, scale: number, box: number): number {
  return Math.max(0, (box - content * scale) / 2);
}

/**
 * Zooms by `factor` about a point of the viewport (px from its top-left corner), keeping the content under
 * that point in place: the new scale and scroll offsets.
 */
export function zoomAbout(
  view: ViewState,
  factor: number,
  anchor: { x: number; y: number },
  content: Size,
  box: Size,
): ViewState {
  const scale = clampScale(view.scale * factor);
  const cx = (view.scrollLeft + anchor.x - inset(content.width, view.scale, box.width)) / view.scale;
  const cy = (view.scrollTop + anchor.y - inset(content.height, view.scale, box.height)) / view.scale;
  return {
    scale,
    ...scrollToShow({ x: cx, y: cy }, anchor, scale, content, box),
  };
}

/** Scroll offsets that put a content point at a point of the viewport, within the scrollable range. */
export function scrollToShow(
  point: { x: number; y: number },
  at: { x: number; y: number },
  scale: number,
  content: Size,
  box: Size,
): { scrollLeft: number; scrollTop: number } {
  const axis = (p: number, a: number, size: number, boxSize: number) => {
    const max = Math.max(0, size * scale - boxSize);
    return Math.min(max, Math.max(0, p * scale + inset(size, scale, boxSize) - a));
  };
  return {
    scrollLeft: axis(point.x, at.x, content.width, box.width),
    scrollTop: axis(point.y, at.y, content.height, box.height),
  };
}

/** The zoom factor of one wheel event (pixel deltas; line and page deltas are converted first). */
export function wheelZoomFactor(deltaY: number, deltaMode = 0): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-pixels * 0.0015);
}
