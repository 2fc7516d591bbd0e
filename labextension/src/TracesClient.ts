import type { ServerConnection } from '@jupyterlab/services';
import type { TraceSource } from '@spyglass/widgets';
import { StoreRequestError } from './errors.js';
import { apiUrl, sendRequest } from './server-request.js';

/** A session id as the store names it (a run id or a UTC time and random part): no separators. */
const SESSION_ID = /^[A-Za-z0-9_-]+$/;
/** The images a session stores by reference, content-addressed (traces/value_references.py). */
const IMAGE_OBJECT = /^objects\/[0-9a-f]{32}\.(?:png|jpe?g|gif|webp)$/;

/** The trace panel's reads of one project: GET /calls and /calls/trace (docs/server-api.md#calls). */
export class TracesClient implements TraceSource {
  constructor(
    private readonly settings: ServerConnection.ISettings,
    private readonly storeRoot: string,
    private readonly project: string,
  ) {}

  async list(query: Record<string, string>): Promise<unknown> {
    return this.get('calls', query);
  }

  async trace(traceId: string): Promise<unknown> {
    return this.get('calls/trace', { trace_id: traceId });
  }

  /** An image the session stored (objects/<sha>.png), through GET /file; null for any other path. */
  imageUrl(sessionId: string, path: string): string | null {
    if (!SESSION_ID.test(sessionId) || !IMAGE_OBJECT.test(path)) return null;
    const sessionDir = `${this.storeRoot}/${this.project}/.traces/${sessionId}`;
    return apiUrl(this.settings, 'file', { run_dir: sessionDir, path }).toString();
  }

  private async get(endpoint: string, query: Record<string, string>): Promise<unknown> {
    const url = apiUrl(this.settings, endpoint, {
      store_root: this.storeRoot,
      project: this.project,
      ...query,
    });
    const response = await sendRequest(this.settings, url, { method: 'GET' }, (status, detail, options) => {
      return new StoreRequestError(url.pathname, status, detail, options);
    });
    return response.json();
  }
}
