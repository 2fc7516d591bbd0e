export { EmbeddedPanelFrame, type EmbeddingContext } from './EmbeddedPanelFrame.js';
export { type EmbeddedPanelHost, type EmbeddedView, type SweepChoice, tableKeys } from './embedded-panels.js';
export { exportImage, exportSpec, safeFileName, specWithData } from './export-files.js';
export type { LayoutStore } from './layout-store.js';
export { type EditorEmbedding, type NewPanel, PanelEditor } from './PanelEditor.js';
export { PanelGrid } from './PanelGrid.js';
export { ROW_HEIGHT, RunsTable, type RunsTableEvents } from './RunsTable.js';
export {
  type BadgeKind,
  type BrowserProject,
  type BrowserRun,
  browserTree,
  runBadge,
  type TreeProject,
  type TreeRow,
  treeRowKey,
  treeRows,
} from './run-browser-tree.js';
export { formatCreated } from './runs-table-row.js';
export { bucketsFor, type ChartContext, type ChartEvents, WorkspaceChart } from './WorkspaceChart.js';
export { WorkspacePanel, type WorkspacePanelOptions } from './WorkspacePanel.js';
export { type ToolbarEvents, WorkspaceToolbar } from './WorkspaceToolbar.js';
export { workspaceMessages } from './workspace-messages.js';
