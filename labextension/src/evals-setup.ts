import type { JupyterFrontEnd } from '@jupyterlab/application';
import { type ICommandPalette, MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { EvalComparePanel } from '@spyglass/widgets';
import { stringArg } from './command-args.js';
import { CommandIDs } from './command-ids.js';
import { EvalsClient } from './EvalsClient.js';
import { WorkspaceLayoutClient } from './WorkspaceLayoutClient.js';

function runIdsArg(args: ReadonlyPartialJSONObject): string[] {
  const value = args.run_ids;
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((id) => typeof id === 'string' && id !== '')) {
    throw new TypeError(
      `${CommandIDs.compareEvaluations}: 'run_ids' must be a list of run ids (baseline first)`,
    );
  }
  return value as string[];
}

/** The compare-evaluations command: a comparison panel of a project's evaluations in the main area. */
export function setupEvals(app: JupyterFrontEnd, palette: ICommandPalette | null): void {
  const settings = app.serviceManager.serverSettings;
  const projects = new WorkspaceLayoutClient(settings);
  const tracker = new WidgetTracker<MainAreaWidget<EvalComparePanel>>({ namespace: 'spyglass-evals' });

  app.commands.addCommand(CommandIDs.compareEvaluations, {
    label: (args) =>
      args.project ? `Spyglass evaluations: ${String(args.project)}` : 'Compare Spyglass evaluations',
    caption: 'Evaluations side by side: scores per scorer, cost and latency, examples with regressions first',
    describedBy: {
      args: {
        type: 'object',
        properties: {
          store_root: { type: 'string' },
          project: { type: 'string' },
          run_ids: { type: 'array', items: { type: 'string' } },
        },
        required: ['project'],
      },
    },
    execute: async (args) => {
      const project = stringArg(args, 'project');
      if (!project)
        throw new TypeError(`${CommandIDs.compareEvaluations} needs a non-empty string argument 'project'`);
      const runIds = runIdsArg(args);
      const { store_root } = await projects.projects(stringArg(args, 'store_root'));
      const content = new EvalComparePanel({
        source: new EvalsClient(settings, store_root, project),
        project,
        runIds,
      });
      const widget = new MainAreaWidget({ content });
      widget.id = `spyglass-evals-${tracker.size}-${Date.now()}`;
      widget.title.label = content.title.label;
      await tracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
    },
  });
  palette?.addItem({ command: CommandIDs.compareEvaluations, category: 'Spyglass' });
}
