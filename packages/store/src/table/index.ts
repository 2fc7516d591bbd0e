export {
  type ColumnSummary,
  type HistogramBin,
  type SummaryOptions,
  summarizeColumn,
} from './column-summary.js';
export {
  type ColumnKind,
  columnKind,
  describeColumns,
  HIDDEN_PREFIX,
  isHidden,
  ROW_ID,
  type TableColumn,
} from './columns.js';
export {
  COMPARE_STATUS,
  type CompareOptions,
  changedFlag,
  compareSql,
  compareTables,
  sideName,
} from './compare.js';
export { duckdbMessage, TableInputError, TableQueryError } from './errors.js';
export { csvField, type ExportFormat, exportView, neutraliseText, tableToCsv } from './export.js';
export {
  AGGREGATE_FUNCTIONS,
  type Aggregate,
  type AggregateFunction,
  aggregateName,
  type GroupBySpec,
  groupBySql,
} from './group-by.js';
export {
  isMediaPath,
  looksLikeMedia,
  type MediaKind,
  type MediaReference,
  parseMediaReference,
} from './media-cell.js';
export { tableMessages } from './messages.js';
export {
  DECODE_BATCH_ROWS,
  type ParquetCodec,
  type ParquetWasmModule,
  parquetCodec,
} from './parquet-codec.js';
export { parseQuickFilter, type QuickFilter, quickFilterSql } from './quick-filter.js';
export {
  createMaterializedSource,
  registerArrowIPC,
  registerParquet,
  releaseSource,
  type TableSource,
} from './register.js';
export { selectStatement, whereCondition } from './sql-text.js';
export { type LoggedTableVersion, tableVersions } from './table-versions.js';
export { DIRECT_WINDOW_ROWS, type ViewWindows, viewWindows } from './view-order.js';
export {
  planView,
  type SortKey,
  type TableView,
  type TableViewSpec,
  viewSql,
  windowSql,
} from './view-plan.js';
export { type CellValue, cellValue, fetchWindow, type RowWindow, tableToWindow } from './window-fetch.js';
