import { StoreReadError } from '@spyglass/store';

/**
 * A request to the Spyglass server extension failed; `status` is the HTTP status (0 for network errors). A
 * StoreReadError, so the live core's store followers tell a refusal (4xx) from a failure worth retrying.
 */
export class StoreRequestError extends StoreReadError {
  override name = 'StoreRequestError';
  constructor(
    readonly url: string,
    status: number,
    detail: string,
    options?: { cause?: unknown; method?: string },
  ) {
    super(
      `${options?.method ?? 'GET'} ${url} failed (${status || 'network error'}): ${detail}`,
      status,
      options,
    );
  }
}
