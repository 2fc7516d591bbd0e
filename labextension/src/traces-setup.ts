import type { JupyterFrontEnd } from '@jupyterlab/application';
import { type ICommandPalette, MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { type LiveCallFeed, TracePanel } from '@spyglass/widgets';
import { stringArg } from './command-args.js';
import { CommandIDs } from './command-ids.js';
import { TracesClient } from './TracesClient.js';
import { WorkspaceLayoutClient } from './WorkspaceLayoutClient.js';

/** The open-traces command: a project's trace panel in the main area (one per store and project), following
 * the calls the page's kernels stream to that store. */
export function setupTraces(
  app: JupyterFrontEnd,
  palette: ICommandPalette | null,
  live?: LiveCallFeed,
): void {
  const settings = app.serviceManager.serverSettings;
  const projects = new WorkspaceLayoutClient(settings);
  const tracker = new WidgetTracker<MainAreaWidget<TracePanel>>({ namespace: 'spyglass-traces' });
  const keyOf = (storeRoot: string, project: string) => `${storeRoot}\n${project}`;
  const keys = new WeakMap<MainAreaWidget<TracePanel>, string>();

  const open = async (args: ReadonlyPartialJSONObject): Promise<MainAreaWidget<TracePanel>> => {
    const project = stringArg(args, 'project');
    if (!project) throw new TypeError(`${CommandIDs.openTraces} needs a non-empty string argument 'project'`);
    const { store_root } = await projects.projects(stringArg(args, 'store_root'));
    const key = keyOf(store_root, project);
    const existing = tracker.find((w) => keys.get(w) === key);
    if (existing) {
      app.shell.activateById(existing.id);
      return existing;
    }
    const source = new TracesClient(settings, store_root, project);
    const content = new TracePanel({ source, project, live, storeRoot: store_root });
    const widget = new MainAreaWidget({ content });
    widget.id = `spyglass-traces-${tracker.size}-${Date.now()}`;
    widget.title.label = content.title.label;
    keys.set(widget, key);
    await tracker.add(widget);
    app.shell.add(widget, 'main');
    app.shell.activateById(widget.id);
    return widget;
  };

  app.commands.addCommand(CommandIDs.openTraces, {
    label: (args) => (args.project ? `Spyglass traces: ${String(args.project)}` : 'Open Spyglass traces'),
    caption: "A project's traced calls (@sg.op): root calls, their trees, inputs and outputs",
    describedBy: {
      args: {
        type: 'object',
        properties: { store_root: { type: 'string' }, project: { type: 'string' } },
        required: ['project'],
      },
    },
    execute: async (args) => {
      await open(args);
    },
  });
  palette?.addItem({ command: CommandIDs.openTraces, category: 'Spyglass' });
}
