import type { ServerConnection } from '@jupyterlab/services';
import { type FeedbackKind, type TraceSource, traceAnswerFromArrow } from '@spyglass/widgets';
import { StoreRequestError } from './errors.js';
import { apiUrl, sendRequest } from './server-request.js';

/** A session id as the store names it (a run id or a UTC time and random part): no separators. */
const SESSION_ID = /^[A-Za-z0-9_-]+$/;
/** The images a session stores by reference, content-addressed (traces/value_references.py). */
const IMAGE_OBJECT = /^objects\/[0-9a-f]{32}\.(?:png|jpe?g|gif|webp)$/;

/** The trace panel's requests for one project: GET /calls, /calls/trace, /calls/feedback; POST /calls/feedback
 * and /calls/sql (docs/server-api.md#calls). */
export class TracesClient implements TraceSource {
  constructor(
    private readonly settings: ServerConnection.ISettings,
    private readonly storeRoot: string,
    private readonly project: string,
  ) {}

  async list(query: Record<string, string>): Promise<unknown> {
    return this.get('calls', query);
  }

  /** The trace as Arrow IPC (no JSON encode or parse of its values), in the JSON answer's shape. */
  async trace(traceId: string): Promise<unknown> {
    const response = await this.request(
      'calls/trace',
      { trace_id: traceId, format: 'arrow' },
      { method: 'GET' },
    );
    return traceAnswerFromArrow(new Uint8Array(await response.arrayBuffer()));
  }

  async feedback(callId: string): Promise<unknown> {
    return this.get('calls/feedback', { call_id: callId });
  }

  /** Stores feedback on a call (POST, with the page's XSRF token as every API write). */
  async addFeedback(callId: string, kind: FeedbackKind, value: string): Promise<unknown> {
    return this.post('calls/feedback', { call_id: callId, kind, value });
  }

  /** One read-only SELECT over the project's calls (POST /calls/sql). */
  async sql(sql: string): Promise<unknown> {
    return this.post('calls/sql', { sql });
  }

  /** An image the session stored (objects/<sha>.png), through GET /file; null for any other path. */
  imageUrl(sessionId: string, path: string): string | null {
    if (!SESSION_ID.test(sessionId) || !IMAGE_OBJECT.test(path)) return null;
    const sessionDir = `${this.storeRoot}/${this.project}/.traces/${sessionId}`;
    return apiUrl(this.settings, 'file', { run_dir: sessionDir, path }).toString();
  }

  private async get(endpoint: string, query: Record<string, string>): Promise<unknown> {
    return (await this.request(endpoint, query, { method: 'GET' })).json();
  }

  private async post(endpoint: string, body: Record<string, unknown>): Promise<unknown> {
    const init = {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
    };
    return (await this.request(endpoint, {}, init)).json();
  }

  private async request(
    endpoint: string,
    query: Record<string, string>,
    init: RequestInit,
  ): Promise<Response> {
    const url = apiUrl(this.settings, endpoint, {
      store_root: this.storeRoot,
      project: this.project,
      ...query,
    });
    return sendRequest(this.settings, url, init, (status, detail, options) => {
      return new StoreRequestError(url.pathname, status, detail, options);
    });
  }
}
