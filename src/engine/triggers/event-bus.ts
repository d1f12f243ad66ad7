import type { Logger } from '../../observability/index.ts';
import type { Store } from '../../store/index.ts';
import { stableId } from '../steps/stable-id.ts';
import { eventTopic } from '../steps/wait.ts';
import type { FireMeta, TriggerSource } from './types.ts';

export interface BusEvent {
  readonly id: string;
  readonly name: string;
  readonly key: string | null;
  readonly data: unknown;
}

type Fire = (input: unknown, meta: FireMeta) => Promise<void>;

export interface EventBus {
  /** Stores the event (once per id), then dispatches it; resolves when it is stored and dispatched. */
  publish(event: BusEvent): Promise<void>;
  /** A trigger source for `flow`, triggered by events of `name`. */
  source(name: string, flow: string): TriggerSource;
  /** Dispatches events stored but never dispatched (the publisher died in between). */
  recover(): Promise<number>;
}

// An event younger than this may still be in its publisher's hands.
const RECOVER_AFTER_MS = 5000;
const RECOVER_BATCH = 100;

/**
 * The internal event bus: an outbox in the store plus in-process dispatch. Dispatch resumes
 * the waits on the event's topic and fires every subscribed trigger with a run id derived from
 * the event id, so a second dispatch (after a crash, from recovery) starts no second run.
 */
export function createEventBus(store: Store, logger: Logger): EventBus {
  const subscribers = new Map<string, Set<{ readonly flow: string; readonly fire: Fire }>>();

  async function dispatch(event: BusEvent): Promise<void> {
    const now = Date.now();
    await store.engine.deliver(eventTopic(event.name, null), event, now);
    if (event.key !== null) await store.engine.deliver(eventTopic(event.name, event.key), event, now);
    const input = { id: event.id, event: event.name, key: event.key, data: event.data };
    await Promise.all(
      [...(subscribers.get(event.name) ?? [])].map(({ flow, fire }) =>
        fire(input, { id: stableId('event-run', event.id, flow) }),
      ),
    );
    await store.engine.markDispatched(event.id, Date.now());
  }

  return {
    async publish(event) {
      await store.engine.appendEvent(event, Date.now());
      await dispatch(event);
    },
    source(name, flow) {
      let entry: { readonly flow: string; readonly fire: Fire } | undefined;
      return {
        start(fire) {
          entry = { flow, fire };
          let set = subscribers.get(name);
          if (set === undefined) {
            set = new Set();
            subscribers.set(name, set);
          }
          set.add(entry);
          return Promise.resolve();
        },
        stop() {
          if (entry !== undefined) subscribers.get(name)?.delete(entry);
          return Promise.resolve();
        },
      };
    },
    async recover() {
      const pending = await store.engine.pendingEvents(Date.now() - RECOVER_AFTER_MS, RECOVER_BATCH);
      for (const event of pending) {
        await dispatch(event).catch((error: unknown) =>
          logger.error(
            { eventId: event.id, event: event.name, err: error },
            'event dispatch failed; retried later',
          ),
        );
      }
      return pending.length;
    },
  };
}
