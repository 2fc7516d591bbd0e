import type { JupyterFrontEnd } from '@jupyterlab/application';
import { type ICommandPalette, Notification, ToolbarButton } from '@jupyterlab/apputils';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { fileUploadIcon } from '@jupyterlab/ui-components';
import { CommandIDs } from './command-ids.js';
import type { StoreClient } from './StoreClient.js';

const LABEL = 'Publish Spyglass Report';

/** Registers the command, its palette entry and a button on every notebook toolbar. */
export function setupPublishReport(
  app: JupyterFrontEnd,
  notebooks: INotebookTracker,
  client: StoreClient,
  palette: ICommandPalette | null,
): void {
  app.commands.addCommand(CommandIDs.publishReport, {
    label: LABEL,
    caption: 'Build a self-contained HTML report of this notebook (docs/reports.md)',
    icon: fileUploadIcon,
    isEnabled: () => notebooks.currentWidget !== null,
    execute: async () => {
      const panel = notebooks.currentWidget;
      if (!panel) return null;
      return publish(panel, client);
    },
  });
  palette?.addItem({ command: CommandIDs.publishReport, category: 'Spyglass' });
  app.docRegistry.addWidgetExtension('Notebook', {
    createNew: (panel: NotebookPanel) => {
      const button = new ToolbarButton({
        icon: fileUploadIcon,
        tooltip: LABEL,
        onClick: () => void app.commands.execute(CommandIDs.publishReport),
      });
      panel.toolbar.insertItem(10, 'spyglass-publish-report', button);
      return button;
    },
  });
}

async function publish(panel: NotebookPanel, client: StoreClient): Promise<string | null> {
  await panel.context.save();
  const id = Notification.emit(`Publishing ${panel.context.path} as a report…`, 'in-progress', {
    autoClose: false,
  });
  try {
    const { path } = await client.publishReport(panel.context.path);
    Notification.update({ id, message: `Report written to ${path}`, type: 'success', autoClose: 5000 });
    return path;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    Notification.update({
      id,
      message: `The report could not be built: ${message}`,
      type: 'error',
      autoClose: false,
    });
    return null;
  }
}
