import type { FlowDefinition } from '../../project/index.ts';
import type { RunRecord } from '../../store/index.ts';
import type { StepFailure } from '../run-error.ts';
import { type CompensationDeps, compensate } from './compensate.ts';

/** The dead outcome with the compensation report added to its failure (unchanged when nothing was owed). */
export async function withCompensation(
  deps: CompensationDeps,
  run: RunRecord,
  flow: FlowDefinition,
  outcome: { readonly kind: 'dead'; readonly failure: StepFailure },
  signal: AbortSignal,
): Promise<{ readonly kind: 'dead'; readonly failure: StepFailure }> {
  const report = await compensate(deps, run, flow, signal);
  return report === undefined
    ? outcome
    : { kind: 'dead', failure: { ...outcome.failure, compensation: report } };
}
