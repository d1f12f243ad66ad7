/**
 * Signals a step throws to the executor instead of returning: they are not failures, so they
 * are never retried or recorded as a failed step.
 */

/** The run parks until `availableAt` (a delay, a wait, a child run); no worker holds it meanwhile. */
export class RunSuspended extends Error {
  constructor(
    readonly availableAt: number,
    /** Asked after the run is parked: true when what it waits for arrived meanwhile (wake it now). */
    readonly recheck?: () => Promise<boolean>,
  ) {
    super('run suspended');
    this.name = 'RunSuspended';
  }
}

/** A nested step did not complete (it parked, will retry later, or failed): its outcome ends the parent too. */
export class StepInterrupt extends Error {
  constructor(readonly outcome: { readonly kind: string }) {
    super(`nested step interrupted (${outcome.kind})`);
    this.name = 'StepInterrupt';
  }
}
