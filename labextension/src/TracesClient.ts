import type { ServerConnection } from '@jupyterlab/services';
import type { TraceSource } from '@spyglass/widgets';
import { StoreRequestError } from './errors.js';
import { apiUrl, sendRequest } from './server-request.js';

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
