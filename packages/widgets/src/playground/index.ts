export { type MarkdownToHtml, OutputView, sanitizedFragment } from './output-view.js';
export {
  type ColumnSpec,
  PARAMETER_NAMES,
  ParameterInputError,
  type ParameterName,
  PlaygroundState,
  parseParameter,
  type RunRecord,
  resultFigures,
} from './playground-state.js';
export {
  PlaygroundShapeError,
  type ProviderInfo,
  parseModels,
  parseProviders,
  parseRunAnswer,
  parseSaveAnswer,
  type RunResult,
  type SaveAnswer,
  type TokenUsage,
} from './playground-types.js';
