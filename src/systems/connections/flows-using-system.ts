import type { FlowDefinition, StepDefinition } from '../../project/index.ts';

function stepsCall(steps: readonly StepDefinition[], system: string): boolean {
  return steps.some((step) => {
    switch (step.type) {
      case 'call':
        return step.system === system || step.compensate?.system === system;
      case 'branch':
        return stepsCall(step.then, system) || stepsCall(step.else, system);
      case 'switch':
        return step.cases.some((entry) => stepsCall(entry.steps, system)) || stepsCall(step.default, system);
      case 'foreach':
      case 'parallel':
        return stepsCall(step.steps, system);
      default:
        return false;
    }
  });
}

/**
 * The flows that call a system (a `call` step or its compensation, at any depth) or are
 * triggered through it (`poll`, `message`): what pauses when its credentials turn invalid.
 * A subflow is its own flow and is found on its own.
 */
export function flowsUsingSystem(flows: ReadonlyMap<string, FlowDefinition>, system: string): string[] {
  const out: string[] = [];
  for (const flow of flows.values()) {
    const triggered = flow.triggers.some(
      (trigger) => (trigger.type === 'poll' || trigger.type === 'message') && trigger.system === system,
    );
    if (triggered || stepsCall(flow.steps, system)) out.push(flow.name);
  }
  return out;
}
