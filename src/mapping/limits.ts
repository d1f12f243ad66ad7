/** Budgets that stop a runaway expression (an endless recursion, a huge loop) from hanging a worker. */
export interface EvaluationLimits {
  /** Wall-clock budget of one evaluation. */
  readonly timeoutMs: number;
  /** Maximum nesting of JSONata evaluation frames (deep or infinite non-tail recursion). */
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: EvaluationLimits = { timeoutMs: 1000, maxDepth: 500 };
