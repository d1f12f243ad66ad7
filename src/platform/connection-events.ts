import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/index.ts';
import type { ConnectionEvent, ConnectionPauses } from '../systems/index.ts';

/**
 * What a change of a system's credential health does: it is logged, the flows using the system
 * are paused (invalid) or resumed (recovered), and the event is published on the internal bus
 * as `system.connection.invalid` / `system.connection.ok` (key: the system), so a flow with an
 * `event` trigger can alert someone. Failures are logged; the next change tries again.
 */
export function createConnectionEventHandler(deps: {
  readonly logger: Logger;
  readonly pauses: ConnectionPauses;
  readonly publish: (event: { id: string; name: string; key: string | null; data: unknown }) => Promise<void>;
}): (event: ConnectionEvent) => void {
  let queue: Promise<void> = Promise.resolve();
  return (event) => {
    deps.logger.warn(
      { system: event.system, event: event.type, state: event.state, reason: event.reason },
      'system connection state changed',
    );
    // In order: a quick invalid → ok → invalid must leave the flows paused.
    queue = queue
      .then(async () => {
        await deps.pauses.apply(event);
        await deps.publish({ id: randomUUID(), name: event.type, key: event.system, data: event });
      })
      .catch((error: unknown) =>
        deps.logger.error({ err: error, system: event.system }, 'connection event not fully handled'),
      );
  };
}
