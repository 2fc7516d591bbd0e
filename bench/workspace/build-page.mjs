// Bundles bench/workspace/page/main.mjs (the workspace data layer + DuckDB-WASM client + Vega) with webpack.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const here = dirname(fileURLToPath(import.meta.url));

export function buildPage() {
  return new Promise((resolve, reject) => {
    webpack(
      {
        mode: 'production',
        entry: join(here, 'page/main.mjs'),
        output: { path: join(here, 'page/dist'), filename: 'main.js', chunkFilename: '[name].js' },
        resolve: { extensions: ['.js', '.mjs'], fullySpecified: false },
        performance: { hints: false },
        devtool: false,
      },
      (error, stats) => {
        if (error) return reject(error);
        if (stats.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
        resolve();
      },
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildPage();
