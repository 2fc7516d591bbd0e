import { corePlugin } from './plugins/core-plugin.js';
import { evalsPlugin } from './plugins/evals-plugin.js';
import { playgroundPlugin } from './plugins/playground-plugin.js';
import { publishReportPlugin } from './plugins/publish-report-plugin.js';
import { renderersPlugin } from './plugins/renderers-plugin.js';
import { tracesPlugin } from './plugins/traces-plugin.js';
import { workspacePlugin } from './plugins/workspace-plugin.js';

export { CommandIDs } from './command-ids.js';
export { ISpyglassCore } from './tokens.js';

/** The core provides ISpyglassCore; the renderers, the workspace and report publishing each require it (the trace panel
 * needs only the server). */
export default [
  corePlugin,
  renderersPlugin,
  workspacePlugin,
  publishReportPlugin,
  tracesPlugin,
  playgroundPlugin,
  evalsPlugin,
];
