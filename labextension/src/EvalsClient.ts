import type { ServerConnection } from '@jupyterlab/services';
import type { EvalsSource } from '@spyglass/widgets';
import { StoreRequestError } from './errors.js';
import { apiUrl, sendRequest } from './server-request.js';

/** The comparison panel's reads of one project: GET /evals and /evals/compare (docs/server-api.md#evals). */
export class EvalsClient implements EvalsSource {
  constructor(
    private readonly settings: ServerConnection.ISettings,
    private readonly storeRoot: string,
    private readonly project: string,
  ) {}

  async list(): Promise<unknown> {
    return this.get('evals', []);
  }

  async compare(runIds: readonly string[]): Promise<unknown> {
    return this.get(
      'evals/compare',
      runIds.map((id) => ['run_id', id]),
    );
  }

  private async get(endpoint: string, query: string[][]): Promise<unknown> {
    const params = new URLSearchParams([['store_root', this.storeRoot], ['project', this.project], ...query]);
    const url = apiUrl(this.settings, endpoint, params);
    const response = await sendRequest(this.settings, url, { method: 'GET' }, (status, detail, options) => {
      return new StoreRequestError(url.pathname, status, detail, options);
    });
    return response.json();
  }
}
