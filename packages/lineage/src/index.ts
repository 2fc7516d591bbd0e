export {
  DEFAULT_COLLAPSE_THRESHOLD,
  type GroupDirection,
  groupId,
  siblingKind,
  splitSiblings,
} from './collapse.js';
export { LineageCycleError, LineageError, UnknownNodeError } from './errors.js';
export { byTime, createdAt, LineageIndex } from './LineageIndex.js';
export {
  type LayoutOptions,
  type LineageLayout,
  layoutLineage,
  type PlacedEdge,
  type PlacedNode,
} from './layout.js';
export { edgeKey, type LineagePath, lineagePath, type PathEdge } from './lineage-path.js';
export { mergeGraphs } from './merge-graphs.js';
export { lineageMessages } from './messages.js';
export {
  DEFAULT_MAX_NODES,
  extractNeighbourhood,
  type LineageView,
  type NeighbourhoodOptions,
  type SiblingGroup,
  type ViewEdge,
  type ViewNode,
} from './neighbourhood.js';
export {
  CHAR_WIDTH,
  charsThatFit,
  fitText,
  NODE_LINE_HEIGHT,
  NODE_PADDING_X,
  NODE_PADDING_Y,
  type NodeText,
  nodeSize,
  nodeText,
} from './node-text.js';
export {
  autoScale,
  clampScale,
  fitScale,
  fitsAt,
  LABEL_FONT_PX,
  MAX_SCALE,
  MIN_LABEL_PX,
  MIN_SCALE,
  readableScale,
  type Size,
  scrollToShow,
  VIEWPORT_HEIGHT,
  type ViewState,
  viewportHeight,
  wheelZoomFactor,
  zoomAbout,
} from './view-scale.js';
