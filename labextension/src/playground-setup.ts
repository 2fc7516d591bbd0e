import type { JupyterFrontEnd } from '@jupyterlab/application';
import { type ICommandPalette, MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { PlaygroundPanel } from '@spyglass/widgets';
import { stringArg } from './command-args.js';
import { CommandIDs } from './command-ids.js';
import { PlaygroundClient } from './PlaygroundClient.js';
import { WorkspaceLayoutClient } from './WorkspaceLayoutClient.js';

const DEFAULT_PROJECT = 'playground';

/**
 * The open-playground command: a playground in the main area, its runs traced into a project (default
 * "playground") of the server's store. JupyterLab's markdown parser, when present, renders outputs as markdown
 * (sanitised by the panel).
 */
export function setupPlayground(
  app: JupyterFrontEnd,
  palette: ICommandPalette | null,
  markdownParser: IRenderMime.IMarkdownParser | null,
): void {
  const settings = app.serviceManager.serverSettings;
  const projects = new WorkspaceLayoutClient(settings);
  const tracker = new WidgetTracker<MainAreaWidget<PlaygroundPanel>>({ namespace: 'spyglass-playground' });
  const markdown = markdownParser ? (text: string) => markdownParser.render(text) : undefined;

  app.commands.addCommand(CommandIDs.openPlayground, {
    label: 'Open Spyglass playground',
    caption: 'Run a prompt against several models side by side; save the prompt and the runs',
    describedBy: {
      args: {
        type: 'object',
        properties: { store_root: { type: 'string' }, project: { type: 'string' } },
      },
    },
    execute: async (args) => {
      const project = stringArg(args, 'project') ?? DEFAULT_PROJECT;
      const { store_root } = await projects.projects(stringArg(args, 'store_root'));
      const content = new PlaygroundPanel({
        source: new PlaygroundClient(settings, store_root, project),
        project,
        markdown,
      });
      const widget = new MainAreaWidget({ content });
      widget.id = `spyglass-playground-${tracker.size}-${Date.now()}`;
      widget.title.label = content.title.label;
      await tracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      await content.load();
      return widget.id;
    },
  });
  palette?.addItem({ command: CommandIDs.openPlayground, category: 'Spyglass' });
}
