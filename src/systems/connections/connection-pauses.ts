import type { Logger } from '../../observability/index.ts';
import type { FlowDefinition } from '../../project/index.ts';
import type { Store } from '../../store/index.ts';
import type { ConnectionEvent } from '../auth/connection-health.ts';
import { flowsUsingSystem } from './flows-using-system.ts';

export interface ConnectionPausesOptions {
  readonly store: Pick<Store, 'flowPauses' | 'connectionPauses' | 'runs' | 'engine'>;
  /** The flows of the running project generation. */
  readonly flows: () => ReadonlyMap<string, FlowDefinition>;
  readonly logger: Logger;
  /**
   * How long the engine parks a run whose call met invalid credentials: on resume, the flow's
   * queued runs due within this window are woken at once instead of waiting out their park.
   */
  readonly parkMs: number;
  readonly now?: () => number;
}

// Runs woken per resumed flow; more stay parked until their own time comes.
const WAKE_LIMIT = 1000;

/**
 * Pauses the flows that use a system whose credentials turned invalid, so that their runs wait
 * in the queue instead of spending retries on certain failures, and resumes them when the
 * connection recovers. A flow paused by hand is left alone; a flow held by two invalid systems
 * resumes when both recovered. Pauses live in the store, so every worker honours them.
 */
export function createConnectionPauses(options: ConnectionPausesOptions) {
  const now = options.now ?? Date.now;
  const { flowPauses, connectionPauses } = options.store;

  async function pause(system: string, reason: string | undefined): Promise<string[]> {
    const held: string[] = [];
    for (const flow of flowsUsingSystem(options.flows(), system)) {
      const why = `system ${system}: credentials invalid${reason === undefined ? '' : ` (${reason})`}`;
      const paused = await flowPauses.pause(flow, why, now());
      // Already paused: by another connection (hold it too), or by hand (leave it to its operator).
      if (paused || (await connectionPauses.held(flow))) {
        await connectionPauses.hold(system, flow, now());
        held.push(flow);
      }
    }
    if (held.length > 0)
      options.logger.warn({ system, flows: held }, 'flows paused: system credentials invalid');
    return held;
  }

  async function resume(system: string): Promise<string[]> {
    const released = await connectionPauses.release(system);
    const resumed: string[] = [];
    for (const flow of released) {
      if (!(await flowPauses.resume(flow))) continue;
      resumed.push(flow);
      await wakeParked(flow);
    }
    if (resumed.length > 0)
      options.logger.info({ system, flows: resumed }, 'flows resumed: system credentials work again');
    return resumed;
  }

  async function wakeParked(flow: string): Promise<void> {
    const at = now();
    const { runs } = await options.store.runs.list({ flow, status: 'queued', limit: WAKE_LIMIT });
    for (const run of runs) {
      if (run.availableAt > at && run.availableAt <= at + options.parkMs)
        await options.store.engine.wakeRun(run.id, at);
    }
  }

  return {
    pause,
    resume,
    /** Applies a connection event: invalid pauses, leaving invalid resumes. */
    async apply(event: ConnectionEvent): Promise<string[]> {
      return event.type === 'system.connection.invalid'
        ? await pause(event.system, event.reason)
        : await resume(event.system);
    },
  };
}

export type ConnectionPauses = ReturnType<typeof createConnectionPauses>;
