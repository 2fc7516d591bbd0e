export {
  aggregateBarsSpec,
  BARS_DATASET,
  type BarsTheme,
  DEFAULT_BARS_THEME,
} from './aggregate-bars-spec.js';
export {
  type AmountRow,
  amountRows,
  type BarRow,
  barRows,
  EvalCompareState,
  type ExampleFilter,
  evaluationNames,
  scoreDelta,
  scoreNumber,
} from './eval-compare-state.js';
export { formatDelta, formatScore, inputsText, outputText, scoresText } from './eval-format.js';
export {
  type ComparedEvaluation,
  type ComparedExample,
  type Comparison,
  type EvalsOutputData,
  EvalsShapeError,
  type EvaluationEntry,
  type ExampleResult,
  OUTCOMES,
  type Outcome,
  parseComparison,
  parseEvalsOutput,
  parseEvaluationList,
} from './eval-types.js';
