import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { setupPublishReport } from '../publish-report.js';
import { ISpyglassCore } from '../tokens.js';

/** "Publish report": a palette command and a notebook toolbar button (docs/reports.md). */
export const publishReportPlugin: JupyterFrontEndPlugin<void> = {
  id: '@spyglass/labextension:publish-report',
  description: 'Publishes a notebook as a self-contained Spyglass HTML report beside it.',
  autoStart: true,
  requires: [ISpyglassCore, INotebookTracker],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    core: ISpyglassCore,
    notebooks: INotebookTracker,
    palette: ICommandPalette | null,
  ) => {
    setupPublishReport(app, notebooks, core.client, palette);
  },
};
