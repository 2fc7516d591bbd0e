import type { ServerConnection } from '@jupyterlab/services';
import type { PlaygroundSource } from '@spyglass/widgets';
import { StoreRequestError } from './errors.js';
import { apiUrl, sendRequest } from './server-request.js';

/** The playground's requests for one project: /playground/providers, models, run, save (docs/server-api.md#playground). */
export class PlaygroundClient implements PlaygroundSource {
  constructor(
    private readonly settings: ServerConnection.ISettings,
    private readonly storeRoot: string,
    private readonly project: string,
  ) {}

  providers(): Promise<unknown> {
    return this.request('GET', 'playground/providers', {});
  }

  models(provider: string): Promise<unknown> {
    return this.request('GET', 'playground/models', { provider });
  }

  run(body: object): Promise<unknown> {
    return this.request('POST', 'playground/run', this.target(), body);
  }

  save(body: object): Promise<unknown> {
    return this.request('POST', 'playground/save', this.target(), body);
  }

  private target(): Record<string, string> {
    return { store_root: this.storeRoot, project: this.project };
  }

  private async request(
    method: 'GET' | 'POST',
    endpoint: string,
    query: Record<string, string>,
    body?: object,
  ): Promise<unknown> {
    const url = apiUrl(this.settings, endpoint, query);
    const init: RequestInit = body === undefined ? { method } : { method, body: JSON.stringify(body) };
    const response = await sendRequest(this.settings, url, init, (status, detail, options) => {
      return new StoreRequestError(url.pathname, status, detail, { ...options, method });
    });
    return response.json();
  }
}
