export { cellText, displayText, MAX_CELL_CHARS, setCellText } from './cell-text.js';
export { histogramSvg, renderMediaCell } from './media-cells.js';
export { BlobUrlCache, type MediaLoader } from './media-loader.js';
export { tableText } from './messages.js';
export { PreviewOverlay } from './PreviewOverlay.js';
export { loadParquetCodec } from './parquet-browser.js';
export type { TableVersion } from './TableCompare.js';
export { TableExplorer, type TableExplorerOptions } from './TableExplorer.js';
export { TablePlot } from './TablePlot.js';
export {
  BLOCK_ROWS,
  type GridColumn,
  type GridSource,
  OVERSCAN,
  ROW_HEIGHT as GRID_ROW_HEIGHT,
  VirtualGrid,
} from './VirtualGrid.js';
