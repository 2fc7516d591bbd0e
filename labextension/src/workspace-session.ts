import type { ServerConnection } from '@jupyterlab/services';
import { createWorkspaceData, type RunHub, workspaceConnection } from '@spyglass/store';
import { WorkspaceClient } from './WorkspaceClient.js';
import type { WorkspaceSession } from './WorkspaceWidget.js';

/**
 * Where the workspace's live tail takes the runs a notebook kernel delivers to this page: from the run hub's rows
 * (the default), or from the server as every other running run (`live_inflow: "server"`, for measurements).
 */
export type LiveInflow = 'hub' | 'server';

/**
 * A workspace's data session on the page's one DuckDB-WASM database (the run hub's): a connection and a schema of
 * its own, and the data layer reading the project through the server endpoints and the hub.
 */
export async function openWorkspaceSession(
  settings: ServerConnection.ISettings,
  hub: RunHub,
  storeRoot: string,
  project: string,
  inflow: LiveInflow = 'hub',
): Promise<WorkspaceSession> {
  const engine = await workspaceConnection(() => hub.connect());
  const source = new WorkspaceClient(storeRoot, project, settings);
  return { engine, data: createWorkspaceData({ engine, source, hub: inflow === 'hub' ? hub : undefined }) };
}

/** Releases a session in the background: the data layer first (it stops polling), then its connection and tables. */
export function closeWorkspaceSession(session: WorkspaceSession): void {
  session.data
    .dispose()
    .catch(() => undefined)
    .finally(() => session.engine.close().catch(() => undefined));
}
