/** User-facing text of the workspace data layer (empty-series reasons), in one place. */
export const messages = {
  noPointsInRange: 'no points in the visible range',
  runGone: 'this run is no longer in the store (deleted?)',
  damaged: (reason: string) => `this run is damaged: ${reason}`,
  notLogged: (metric: string) => `this run has not logged "${metric}"`,
  allNonFinite: (metric: string) => `every value of "${metric}" in this run is NaN or infinite`,
};
