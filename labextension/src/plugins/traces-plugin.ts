import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { setupTraces } from '../traces-setup.js';

/** The trace panel: the `spyglass:open-traces` command (a project's @sg.op calls in the main area). */
export const tracesPlugin: JupyterFrontEndPlugin<void> = {
  id: '@spyglass/labextension:traces',
  description: "The Spyglass trace panel: a project's traced calls, their trees, inputs and outputs.",
  autoStart: true,
  optional: [ICommandPalette],
  activate: (app: JupyterFrontEnd, palette: ICommandPalette | null) => {
    setupTraces(app, palette);
  },
};
