/** A request to the Spyglass server extension failed; `status` is the HTTP status (0 for network errors). */
export class StoreRequestError extends Error {
  override name = 'StoreRequestError';
  constructor(
    readonly url: string,
    readonly status: number,
    detail: string,
    options?: { cause?: unknown; method?: string },
  ) {
    super(`${options?.method ?? 'GET'} ${url} failed (${status || 'network error'}): ${detail}`, options);
  }
}
