import { spyglassPlugin } from './plugin.js';

export default [spyglassPlugin];
