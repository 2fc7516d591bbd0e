// Bundles the report runtime into ONE classic script that the Python report builder inlines into each HTML
// file (its sha256 goes into the page's Content-Security-Policy). No chunks, no assets, no source map: the page
// loads nothing, so everything the runtime needs must be inside this file.
const path = require('node:path');

module.exports = {
  mode: 'production',
  target: ['web', 'es2022'],
  entry: path.resolve(__dirname, 'lib/src/main.js'),
  output: {
    path: path.resolve(__dirname, '../../kernel-bridge/spyglass/report/static'),
    filename: 'report-runtime.js',
    iife: true,
    clean: false,
  },
  devtool: false,
  optimization: { splitChunks: false, runtimeChunk: false },
  performance: { hints: false },
};
