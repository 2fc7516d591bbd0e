import { ServerConnection } from '@jupyterlab/services';
import type { Stream } from '@spyglass/protocol';
import { StoreRequestError } from './errors.js';

const API = 'spyglass/api/v1';

/** Reads runs the page did not see live from the Spyglass server extension (the run store is the truth). */
export class StoreClient {
  constructor(private readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  /** run.json of a run directory. */
  async runMetadata(runDir: string): Promise<Record<string, unknown>> {
    const response = await this.get('run', { run_dir: runDir });
    return (await response.json()) as Record<string, unknown>;
  }

  /** A framed-log slice of a stream: the file header and every stored frame with seq > afterSeq. */
  async history(runDir: string, afterSeq: number, stream: Stream = 'history'): Promise<Uint8Array> {
    const params: Record<string, string> = { run_dir: runDir, after_seq: String(afterSeq) };
    // History requests stay as a 1.0 server expects them.
    if (stream !== 'history') params.stream = stream;
    const response = await this.get('history', params);
    return new Uint8Array(await response.arrayBuffer());
  }

  private async get(endpoint: string, params: Record<string, string>): Promise<Response> {
    const url = new URL(`${API}/${endpoint}`, this.settings.baseUrl);
    url.search = new URLSearchParams(params).toString();
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url.href, { method: 'GET' }, this.settings);
    } catch (cause) {
      throw new StoreRequestError(url.pathname, 0, String(cause), { cause });
    }
    if (!response.ok) throw new StoreRequestError(url.pathname, response.status, await errorDetail(response));
    return response;
  }
}

/** The server extension answers errors as JSON {"error": "..."}; fall back to the status text. */
async function errorDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON: use the status line
  }
  return response.statusText || 'no detail';
}
