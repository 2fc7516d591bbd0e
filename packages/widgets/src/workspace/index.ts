export { downloadFile, exportImage, exportSpec, safeFileName, specWithData } from './export-files.js';
export { type LayoutStore, MemoryLayoutStore } from './layout-store.js';
export { type NewPanel, PanelEditor } from './PanelEditor.js';
export { PanelGrid } from './PanelGrid.js';
export { ROW_HEIGHT, RunsTable, type RunsTableEvents } from './RunsTable.js';
export { bucketsFor, type ChartContext, type ChartEvents, WorkspaceChart } from './WorkspaceChart.js';
export { WorkspacePanel, type WorkspacePanelOptions } from './WorkspacePanel.js';
export { type ToolbarEvents, WorkspaceToolbar } from './WorkspaceToolbar.js';
export { workspaceMessages } from './workspace-messages.js';
