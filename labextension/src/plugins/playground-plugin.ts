import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IMarkdownParser } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { setupPlayground } from '../playground-setup.js';

/** The playground: the `spyglass:open-playground` command (prompts run against models side by side). */
export const playgroundPlugin: JupyterFrontEndPlugin<void> = {
  id: '@spyglass/labextension:playground',
  description: 'The Spyglass playground: a prompt run against several models side by side, traced and saved.',
  autoStart: true,
  optional: [ICommandPalette, IMarkdownParser],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    parser: IRenderMime.IMarkdownParser | null,
  ) => {
    setupPlayground(app, palette, parser);
  },
};
