import type { ILabShell, ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { type ICommandPalette, MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import type { ILauncher } from '@jupyterlab/launcher';
import type { INotebookTracker } from '@jupyterlab/notebook';
import { LabIcon } from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { stringArg } from './command-args.js';
import { CommandIDs } from './command-ids.js';
import { RunBrowserPanel } from './RunBrowserPanel.js';
import { workspaceLabUrl } from './url-parameters.js';
import { WorkspaceLayoutClient } from './WorkspaceLayoutClient.js';
import { WorkspaceOutputRenderer } from './WorkspaceOutputRenderer.js';
import { type WorkspaceSession, WorkspaceWidget } from './WorkspaceWidget.js';
import { type EmbedServices, embeddedPanelHost } from './workspace-embeds.js';
import { FileLayoutStore } from './workspace-layout-stores.js';
import { type LiveInflow, openWorkspaceSession } from './workspace-session.js';

const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161">' +
  '<path d="M3 17h3v4H3zm5-6h3v10H8zm5 3h3v7h-3zm5-9h3v16h-3z"/></g></svg>';
export const workspaceIcon = new LabIcon({ name: 'spyglass:workspace', svgstr: ICON_SVG });

/**
 * The workspace's pieces in the page: the open-workspace command (palette and launcher when present), the main
 * area widgets (restored after a reload), the left sidebar's run browser, and the renderer used by `sg.workspace`.
 */
export function setupWorkspace(
  app: JupyterFrontEnd,
  notebooks: INotebookTracker,
  palette: ICommandPalette | null,
  launcher: ILauncher | null,
  restorer: ILayoutRestorer | null,
  labShell: ILabShell | null,
  embeds: EmbedServices,
): { createRenderer: () => WorkspaceOutputRenderer } {
  const settings = app.serviceManager.serverSettings;
  const client = new WorkspaceLayoutClient(settings);
  // Sessions read the page's run hub (embeds.hub): its database, and the rows of the runs its kernels deliver.
  const openSession = (storeRoot: string, project: string, inflow?: LiveInflow): Promise<WorkspaceSession> =>
    openWorkspaceSession(settings, embeds.hub, storeRoot, project, inflow);
  const embeddedPanels = (storeRoot: string, project: string) =>
    embeddedPanelHost(embeds, storeRoot, project);
  const tracker = new WidgetTracker<MainAreaWidget<WorkspaceWidget>>({ namespace: 'spyglass-workspace' });

  const open = async (args: ReadonlyPartialJSONObject) => {
    const { store_root, projects } = await client.projects(stringArg(args, 'store_root'));
    const select = Array.isArray(args.select)
      ? args.select.filter((s): s is string => typeof s === 'string')
      : undefined;
    const project = stringArg(args, 'project') ?? projects[0] ?? '';
    const inflow: LiveInflow = args.live_inflow === 'server' ? 'server' : 'hub';
    const existing = tracker.find((w) => w.content.store === store_root);
    if (existing) {
      existing.content.setProjects(projects);
      app.shell.activateById(existing.id);
      await existing.content.open(project, select);
      return existing;
    }
    const content = new WorkspaceWidget({
      storeRoot: store_root,
      project,
      projects,
      select,
      openSession: (root, p) => openSession(root, p, inflow),
      layoutStore: (root, p) => new FileLayoutStore(client, root, p),
      exportParquet: (columns, rows) => client.exportParquet(columns, rows),
      embeddedPanels,
    });
    const widget = new MainAreaWidget({ content });
    widget.id = `spyglass-workspace-${tracker.size}-${Date.now()}`;
    widget.title.icon = workspaceIcon;
    widget.title.label = content.title.label;
    content.title.changed.connect(() => {
      widget.title.label = content.title.label;
    });
    await tracker.add(widget);
    app.shell.add(widget, 'main');
    if (!widget.isAttached) {
      // Notebook 7's notebook page holds one main-area widget and refuses a second: open the workspace in
      // JupyterLab in a new browser tab instead (the run selection stays behind).
      widget.dispose();
      window.open(workspaceLabUrl(settings.baseUrl, store_root, project), '_blank', 'noopener');
      return null;
    }
    app.shell.activateById(widget.id);
    await content.open(project, select);
    // Keep the restorer's record of which project is open current.
    void tracker.save(widget);
    return widget;
  };

  app.commands.addCommand(CommandIDs.openWorkspace, {
    label: 'Open Spyglass workspace',
    caption: 'Compare every run of a Spyglass project: runs table and charts',
    // The launcher passes its card's args (no flag of its own); the palette passes isPalette and shows no icon.
    icon: (args) => (args.isPalette ? undefined : workspaceIcon),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          store_root: { type: 'string' },
          project: { type: 'string' },
          select: { type: 'array', items: { type: 'string' } },
          // "server" polls every running run from the server, also those a kernel delivers (measurements).
          live_inflow: { type: 'string', enum: ['hub', 'server'] },
        },
      },
    },
    execute: async (args) => {
      await open(args);
    },
  });
  palette?.addItem({ command: CommandIDs.openWorkspace, category: 'Spyglass' });
  launcher?.add({ command: CommandIDs.openWorkspace, category: 'Other', rank: 1 });
  restorer?.restore(tracker, {
    command: CommandIDs.openWorkspace,
    args: (widget) => ({ store_root: widget.content.store, project: widget.content.project }),
    name: (widget) => `${widget.content.store}:${widget.content.project}`,
  });

  const browser = new RunBrowserPanel(
    { projects: () => client.projects(), runs: (root, project) => client.runs(root, project) },
    (storeRoot, project, select) => {
      void app.commands.execute(CommandIDs.openWorkspace, {
        store_root: storeRoot,
        project,
        select: select ?? [],
      });
    },
  );
  browser.title.icon = workspaceIcon;
  if (labShell) labShell.add(browser, 'left', { rank: 650 });
  else app.shell.add(browser, 'left', { rank: 650 });

  return {
    createRenderer: () =>
      new WorkspaceOutputRenderer(
        notebooks,
        openSession,
        (columns, rows) => client.exportParquet(columns, rows),
        embeddedPanels,
      ),
  };
}
