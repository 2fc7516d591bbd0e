/** Base class of the errors the workspace models throw. */
export class WorkspaceModelError extends Error {
  override name = 'WorkspaceModelError';
}

/** A saved workspace layout that cannot be used; `path` names the offending part (e.g. `panels[3].kind`). */
export class LayoutValidationError extends WorkspaceModelError {
  override name = 'LayoutValidationError';
  constructor(
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Invalid workspace layout at ${path}: ${detail}`, options);
  }
}

/** A custom Vega-Lite panel spec that Spyglass refuses to draw (not an object, remote data, ...). */
export class CustomSpecError extends WorkspaceModelError {
  override name = 'CustomSpecError';
}
