import { ServerConnection } from '@jupyterlab/services';

/** The Spyglass server extension's API, relative to the server's base URL. */
export const API = 'spyglass/api/v1';

/** Builds the error a client throws for a failed request: status 0 (with the cause) when no answer came back. */
export type RequestFailure = (status: number, detail: string, options: { cause?: unknown }) => Error;

/** The URL of one endpoint with its query. */
export function apiUrl(
  settings: ServerConnection.ISettings,
  endpoint: string,
  params: URLSearchParams | Record<string, string> = {},
): URL {
  const url = new URL(`${API}/${endpoint}`, settings.baseUrl);
  url.search = new URLSearchParams(params).toString();
  return url;
}

/** One request with the server's auth; a network failure or a non-2xx answer throws what `fail` builds. */
export async function sendRequest(
  settings: ServerConnection.ISettings,
  url: URL,
  init: RequestInit,
  fail: RequestFailure,
): Promise<Response> {
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url.href, init, settings);
  } catch (cause) {
    throw fail(0, String(cause), { cause });
  }
  if (!response.ok) throw fail(response.status, await errorDetail(response), {});
  return response;
}

/** The server extension answers errors as JSON {"error": "..."}; fall back to the status text. */
export async function errorDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON: use the status line
  }
  return response.statusText || 'no detail';
}

/** Reads a response body in chunks, reporting progress, into one buffer (sized up front when the length is known). */
export async function readBody(
  response: Response,
  total: number | null,
  onProgress?: (loaded: number, total: number | null) => void,
): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let out = total !== null ? new Uint8Array(total) : null;
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (out && loaded + value.byteLength <= out.byteLength) out.set(value, loaded);
    else {
      if (out) chunks.push(out.subarray(0, loaded));
      out = null;
      chunks.push(value);
    }
    loaded += value.byteLength;
    onProgress?.(loaded, total);
  }
  if (out) return loaded === out.byteLength ? out : out.slice(0, loaded);
  const joined = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.byteLength;
  }
  return joined;
}
