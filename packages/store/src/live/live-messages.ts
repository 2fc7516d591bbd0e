/** User-facing texts of the live core; the widgets' `messages` includes them, so a panel words them the same way. */
export const liveMessages = {
  loadFailed: (detail: string) => `Spyglass could not load this run: ${detail}`,
  engineFailed: (detail: string) =>
    `Spyglass could not start its in-browser database (DuckDB-WASM): ${detail}. Reload the page to try again.`,
  damagedRun: (detail: string) =>
    `Part of this run's log cannot be read and is left out (the rest is shown): ${detail}`,
};
