import { ServerConnection } from '@jupyterlab/services';
import type { RunListing } from '@spyglass/protocol';
import { StoreRequestError } from './errors.js';

const API = 'spyglass/api/v1';

/** The store root the server uses and the projects in it. */
export interface StoreProjects {
  store_root: string;
  projects: string[];
}

/**
 * The workspace's own endpoints: the server's default store and its projects, a project's saved layout
 * (`<store_root>/<project>/.workspace.json`), and the run listing the run browser shows.
 */
export class WorkspaceLayoutClient {
  constructor(private readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  /** The store root (the server's default when none is given) and its projects. */
  async projects(storeRoot?: string): Promise<StoreProjects> {
    const response = await this.request(
      'GET',
      'workspace_projects',
      storeRoot ? { store_root: storeRoot } : {},
    );
    return (await response.json()) as StoreProjects;
  }

  /** The runs of a project, as the runs table lists them (GET /runs). */
  async runs(storeRoot: string, project: string): Promise<RunListing> {
    const response = await this.request('GET', 'runs', { store_root: storeRoot, project });
    return (await response.json()) as RunListing;
  }

  /** The saved layout JSON (unvalidated), or null when the project has none yet. */
  async loadLayout(storeRoot: string, project: string): Promise<unknown | null> {
    const response = await this.request('GET', 'workspace_layout', { store_root: storeRoot, project });
    const body = (await response.json()) as { layout?: unknown };
    return body.layout ?? null;
  }

  async saveLayout(storeRoot: string, project: string, layout: object): Promise<void> {
    await this.request('PUT', 'workspace_layout', { store_root: storeRoot, project }, JSON.stringify(layout));
  }

  /** The table as Parquet, written by the server (pyarrow). */
  async exportParquet(columns: string[], rows: unknown[][]): Promise<Uint8Array> {
    const response = await this.request('POST', 'workspace_export', {}, JSON.stringify({ columns, rows }));
    return new Uint8Array(await response.arrayBuffer());
  }

  private async request(
    method: 'GET' | 'PUT' | 'POST',
    endpoint: string,
    params: Record<string, string>,
    body?: string,
  ): Promise<Response> {
    const url = new URL(`${API}/${endpoint}`, this.settings.baseUrl);
    url.search = new URLSearchParams(params).toString();
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url.href, { method, body }, this.settings);
    } catch (cause) {
      throw new StoreRequestError(url.pathname, 0, String(cause), { cause, method });
    }
    if (!response.ok) {
      let detail = response.statusText || 'no detail';
      try {
        const parsed = (await response.json()) as { error?: unknown };
        if (typeof parsed.error === 'string') detail = parsed.error;
      } catch {
        // not JSON: keep the status line
      }
      throw new StoreRequestError(url.pathname, response.status, detail, { method });
    }
    return response;
  }
}
