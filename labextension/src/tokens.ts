import { Token } from '@lumino/coreutils';
import type { RunHub, StoreFollowers } from '@spyglass/store';
import type { LiveCalls } from '@spyglass/widgets';
import type { StoreClient } from './StoreClient.js';

/**
 * The page's Spyglass core, one instance of each: every Spyglass view reads runs from this hub and asks the server
 * through this client, so a run's history is decoded and cached once per page.
 */
export interface ISpyglassCore {
  /** The run cache (DuckDB-WASM) that every kernel channel and store follower feeds. */
  readonly hub: RunHub;
  /** The client of the Spyglass server extension (run.json, framed logs, sweeps, lineage, reports). */
  readonly client: StoreClient;
  /** One store follower per displayed run: reads what no kernel delivers live, over `client`. */
  readonly followers: StoreFollowers<StoreClient>;
  /** Calls the page's kernels trace, as they are stored (protocol 1.3 `calls` messages); trace panels listen. */
  readonly calls: LiveCalls;
}

/**
 * Provided by `@spyglass/labextension:core`. Another extension requires it to show or query Spyglass runs in the
 * same cache (it lists `@spyglass/labextension` as a shared singleton so the token is this one).
 */
export const ISpyglassCore = new Token<ISpyglassCore>(
  '@spyglass/labextension:ISpyglassCore',
  "The page's Spyglass run hub (live and stored runs in DuckDB-WASM), its store followers and server client.",
);
