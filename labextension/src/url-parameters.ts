/** The query parameters that run.url and run.project_url put on a /lab URL (kernel-bridge/spyglass/tracking/run_urls.py). */
export const URL_PARAMETERS = {
  store: 'spyglass-store',
  run: 'spyglass-run',
  project: 'spyglass-project',
  sweep: 'spyglass-sweep',
} as const;

/** The JupyterLab URL that opens a project's workspace (read back by open-from-url.ts). */
export function workspaceLabUrl(baseUrl: string, storeRoot: string, project: string): string {
  const params = new URLSearchParams({
    [URL_PARAMETERS.store]: storeRoot,
    [URL_PARAMETERS.project]: project,
  });
  return `${baseUrl.replace(/\/*$/, '/')}lab?${params.toString()}`;
}
