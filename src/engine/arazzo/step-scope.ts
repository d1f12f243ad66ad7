import { fieldStep } from './json-path.ts';
import { objectExpression } from './payload.ts';
import { ExpressionProblem, type ExpressionScope } from './runtime-expression.ts';
import type { ConvertIssues } from './types.ts';

/** A converted step as later expressions see it. */
export interface ConvertedStep {
  readonly stepId: string;
  readonly flowId: string;
  /** Output name → JSONata over the run context. */
  readonly outputs: Map<string, string>;
  /** Outputs left out with a warning; references to them are left out too. */
  readonly omitted: Set<string>;
  /** The workflow a workflow step runs (a subflow). */
  readonly workflowId?: string;
}

/** The scope of an expression: the earlier steps, and the response or child output it may read. */
export function createScope(
  earlier: readonly ConvertedStep[],
  own: { readonly response?: string; readonly childOutputs?: string } = {},
): ExpressionScope {
  return {
    ...own,
    stepOutput(stepId, name) {
      const step = earlier.find((candidate) => candidate.stepId === stepId);
      if (step === undefined)
        throw new ExpressionProblem(
          `$steps.${stepId}: there is no earlier step "${stepId}" in this workflow`,
          true,
        );
      if (name === undefined) return objectExpression(step.outputs);
      if (step.omitted.has(name))
        throw new ExpressionProblem(
          `$steps.${stepId}.outputs.${name} was not imported (see the warning for that output)`,
          false,
        );
      const output = step.outputs.get(name);
      if (output === undefined)
        throw new ExpressionProblem(`step "${stepId}" declares no output "${name}"`, true);
      return output;
    },
    workflowOutput(workflowId, name) {
      const step = earlier.find((candidate) => candidate.workflowId === workflowId);
      if (step === undefined) {
        throw new ExpressionProblem(
          `$workflows.${workflowId}.outputs.${name}: no earlier step of this workflow runs workflow "${workflowId}"`,
          false,
        );
      }
      return `steps.${step.flowId}.${fieldStep(name)}`;
    },
  };
}

/**
 * Translates with `translate`; a problem the document causes stops the import, one Conflux
 * cannot express is reported and the construct left out (undefined).
 */
export function attempt(pointer: string, issues: ConvertIssues, translate: () => string): string | undefined {
  try {
    return translate();
  } catch (error) {
    if (!(error instanceof ExpressionProblem)) throw error;
    if (error.invalid) throw issues.invalid(pointer, error.message, error);
    issues.warn(pointer, `left out: ${error.message}`);
    return undefined;
  }
}
