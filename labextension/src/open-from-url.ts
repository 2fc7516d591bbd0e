import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { RunHub, StoreFollowers } from '@spyglass/store';
import { CommandIDs } from './command-ids.js';
import { openStoredRun } from './open-run-panel.js';
import type { StoreClient } from './StoreClient.js';
import { URL_PARAMETERS } from './url-parameters.js';

/** What a /lab URL asks to open: a run's panel or a project's workspace, or nothing. */
export type UrlTarget =
  | { kind: 'run'; storeRoot: string; project: string; runId: string }
  | { kind: 'workspace'; storeRoot: string; project: string }
  | null;

/** Reads the Spyglass parameters of a URL query ("?spyglass-store=...&spyglass-run=project/id"). */
export function urlTarget(search: string): UrlTarget {
  const params = new URLSearchParams(search);
  const storeRoot = params.get(URL_PARAMETERS.store);
  if (!storeRoot) return null;
  const run = params.get(URL_PARAMETERS.run);
  if (run) {
    const slash = run.lastIndexOf('/');
    if (slash <= 0 || slash === run.length - 1) return null;
    return { kind: 'run', storeRoot, project: run.slice(0, slash), runId: run.slice(slash + 1) };
  }
  const project = params.get(URL_PARAMETERS.project);
  return project ? { kind: 'workspace', storeRoot, project } : null;
}

/**
 * Opens what the page's URL asks for once the shell is restored, then drops the parameters from the address bar
 * so that a reload does not open it again. The server still confines the store root to its roots.
 */
export function openFromUrl(app: JupyterFrontEnd, hub: RunHub, followers: StoreFollowers<StoreClient>): void {
  const target = urlTarget(window.location.search);
  if (target === null) return;
  const url = new URL(window.location.href);
  for (const name of Object.values(URL_PARAMETERS)) url.searchParams.delete(name);
  window.history.replaceState(window.history.state, '', url.toString());
  void app.restored.then(() => {
    if (target.kind === 'run') {
      openStoredRun(app, hub, followers, target.storeRoot, target.project, target.runId);
    } else {
      void app.commands.execute(CommandIDs.openWorkspace, {
        store_root: target.storeRoot,
        project: target.project,
      });
    }
  });
}
