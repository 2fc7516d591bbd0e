import type { ServerConnection } from '@jupyterlab/services';
import { createWorkspaceData } from '@spyglass/store';
import { createBrowserEngine } from '@spyglass/widgets';
import { duckdbAssets } from './duckdb-assets.js';
import { WorkspaceClient } from './WorkspaceClient.js';
import type { WorkspaceSession } from './WorkspaceWidget.js';

/**
 * A workspace's data session: its own DuckDB-WASM engine (so a workspace's metrics never crowd the run panels'
 * cache) and the data layer reading the project through the server endpoints.
 */
export async function openWorkspaceSession(
  settings: ServerConnection.ISettings,
  storeRoot: string,
  project: string,
): Promise<WorkspaceSession> {
  const engine = await createBrowserEngine(duckdbAssets());
  const source = new WorkspaceClient(storeRoot, project, settings);
  return { engine, data: createWorkspaceData({ engine, source }) };
}

/** Releases a session in the background: the data layer first (it stops polling), then its engine. */
export function closeWorkspaceSession(session: WorkspaceSession): void {
  session.data
    .dispose()
    .catch(() => undefined)
    .finally(() => session.engine.close().catch(() => undefined));
}
