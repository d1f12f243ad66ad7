export { type CompiledExpression, compileExpression } from './compile-expression.ts';
export { DEFAULT_LIMITS, type EvaluationLimits } from './limits.ts';
