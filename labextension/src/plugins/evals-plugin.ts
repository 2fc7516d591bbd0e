import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { setupEvals } from '../evals-setup.js';

/** The evaluation comparison panel: the `spyglass:compare-evaluations` command. */
export const evalsPlugin: JupyterFrontEndPlugin<void> = {
  id: '@spyglass/labextension:evals',
  description: "The Spyglass evaluation comparison: a project's evaluations side by side.",
  autoStart: true,
  optional: [ICommandPalette],
  activate: (app: JupyterFrontEnd, palette: ICommandPalette | null) => {
    setupEvals(app, palette);
  },
};
