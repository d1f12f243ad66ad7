import { createHmac } from 'node:crypto';
import type { Store } from '../store/index.ts';
import type { RunWaiters } from './run-waiters.ts';
import { createAddressGuard } from './steps/address-guard.ts';
import type { StepServices } from './steps/types.ts';
import type { EventBus } from './triggers/event-bus.ts';

export const CALLBACK_PREFIX = '/hooks/_callback/';

export interface StepServicesDeps {
  readonly store: Store;
  readonly bus: EventBus;
  readonly waiters: RunWaiters;
  /** Address ranges or hosts `http` steps may reach although private (e.g. `127.0.0.1/32`). */
  readonly httpAllow: readonly string[];
  /** Keys callback tokens; the same in every process so any of them computes the same URL. */
  readonly callbackSecret: string;
  readonly startChild: (flow: string, input: unknown, runId: string, correlationId: string) => Promise<void>;
}

/** Callback token of a waiting step: unguessable without the secret, the same in every process. */
export function callbackToken(secret: string, runId: string, stepKey: string): string {
  return createHmac('sha256', secret).update(`${runId}:${stepKey}`).digest('base64url');
}

export function createStepServices(deps: StepServicesDeps): StepServices {
  return {
    store: deps.store,
    publish: (event) => deps.bus.publish(event),
    startChild: deps.startChild,
    async respond(runId, output) {
      const run = await deps.store.runs.get(runId);
      // Whoever waits synchronously takes the answer as if the run had finished with it.
      if (run !== undefined) deps.waiters.notify({ ...run, status: 'succeeded', output });
    },
    allowAddress: createAddressGuard(deps.httpAllow),
    callbackPath: (runId, stepKey) =>
      `${CALLBACK_PREFIX}${callbackToken(deps.callbackSecret, runId, stepKey)}`,
  };
}
