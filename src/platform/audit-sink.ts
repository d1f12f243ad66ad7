import { randomUUID } from 'node:crypto';
import type { AuditEvent, AuditSink } from '../gateway/index.ts';
import type { Logger } from '../observability/index.ts';
import type { AuditRepository } from '../store/index.ts';

/**
 * Writes the gateway's audit events to the store off the request path: events queue in memory
 * and go out in one insert per tick. A failed write is logged with the events' correlation ids
 * (never dropped silently); `flush` on shutdown writes what is left.
 */
export function createStoreAuditSink(
  repository: AuditRepository,
  logger: Logger,
): AuditSink & { flush(): Promise<void> } {
  let queue: AuditEvent[] = [];
  let writing: Promise<void> = Promise.resolve();
  let scheduled = false;

  const write = async () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      await repository.append(
        batch.map((event) => ({
          id: randomUUID(),
          at: event.at,
          actor: event.actor,
          action: event.action,
          subject: `api:${event.api} ${event.route}`,
          status: event.status,
          correlationId: event.correlationId,
          details: event.details,
        })),
      );
    } catch (error) {
      logger.error(
        { err: error, correlationIds: batch.map((event) => event.correlationId) },
        'audit events could not be stored',
      );
    }
  };

  return {
    record(event) {
      queue.push(event);
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        writing = writing.then(write);
      });
    },
    async flush() {
      await writing;
      writing = writing.then(write);
      await writing;
    },
  };
}
