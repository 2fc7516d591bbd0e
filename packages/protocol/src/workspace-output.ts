/** Data of a workspace output: which store and project, and where in the notebook metadata its layout lives. */
export interface WorkspaceOutputData {
  store_root: string;
  project: string;
  /** Key under `metadata.spyglass.workspaces` of the notebook holding this output. */
  layout_key: string;
}

/** Validates a WORKSPACE_MIME_TYPE payload (saved notebooks are untrusted input); a reason when unusable. */
export function parseWorkspaceOutput(
  value: unknown,
): { kind: 'ok'; data: WorkspaceOutputData } | { kind: 'invalid'; reason: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', reason: 'not an object' };
  }
  const o = value as Record<string, unknown>;
  for (const key of ['store_root', 'project', 'layout_key']) {
    if (typeof o[key] !== 'string' || o[key] === '')
      return { kind: 'invalid', reason: `'${key}' is not a non-empty string` };
  }
  return {
    kind: 'ok',
    data: {
      store_root: o.store_root as string,
      project: o.project as string,
      layout_key: o.layout_key as string,
    },
  };
}
