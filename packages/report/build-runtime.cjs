// webpack-cli is not a dependency of this repo (the extension builds through `jupyter labextension build`), so
// the report runtime is bundled through webpack's Node API.
const webpack = require('webpack');
const config = require('./webpack.config.cjs');

webpack(config, (error, stats) => {
  if (error || stats.hasErrors()) {
    console.error(error ?? stats.toString({ all: false, errors: true }));
    process.exit(1);
  }
  const asset = stats
    .toJson({ all: false, assets: true })
    .assets.find((a) => a.name === config.output.filename);
  console.log(`report runtime: ${config.output.path}/${asset.name} (${Math.round(asset.size / 1024)} KiB)`);
});
