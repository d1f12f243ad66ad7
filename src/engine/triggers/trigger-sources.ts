import { randomUUID } from 'node:crypto';
import { createFileTrigger } from '../../adapters/index.ts';
import { compileExpression } from '../../mapping/index.ts';
import type { Logger } from '../../observability/index.ts';
import type { TriggerDefinition } from '../../project/index.ts';
import type { Store } from '../../store/index.ts';
import type { SystemCaller } from '../../systems/index.ts';
import type { CompiledFlow } from '../compile-flow.ts';
import { stableId } from '../steps/stable-id.ts';
import type { EventBus } from './event-bus.ts';
import { createPollSource } from './poll-source.ts';
import type { FireMeta, TriggerSource } from './types.ts';

export interface TriggerContext {
  readonly flow: string;
  /** `<flow>:<trigger index>`. */
  readonly key: string;
  readonly where: string;
  readonly bus: EventBus;
  readonly store: Store;
  readonly systems: SystemCaller;
  readonly logger: Logger;
}

type SourceFactory<T extends TriggerDefinition['type']> = (
  trigger: Extract<TriggerDefinition, { type: T }>,
  context: TriggerContext,
) => TriggerSource;

const optional = (text: string | undefined, where: string) =>
  text === undefined ? undefined : compileExpression(text, where);

/**
 * Trigger kinds that run as sources inside the engine. Webhooks live on the gateway and
 * schedules in the scheduler; a broker adapter adds one line here.
 */
export const sourceKinds: { readonly [K in 'event' | 'poll' | 'message' | 'file']: SourceFactory<K> } = {
  event: (trigger, { bus, flow }) => bus.source(trigger.event, flow),
  // Broker channels (MQTT, AMQP, NATS) of AsyncAPI systems; the systems module owns the adapters.
  message: (trigger, { systems, key, where }) => {
    if (systems.subscribe === undefined)
      throw new Error(`${where}: message triggers need a systems runtime with brokers`);
    return systems.subscribe(trigger.system, trigger.operation, key);
  },
  poll: (trigger, context) =>
    createPollSource({
      key: context.key,
      system: trigger.system,
      operation: trigger.operation,
      everyMs: trigger.everyMs,
      input: optional(trigger.input, `${context.where} input`),
      items: optional(trigger.items, `${context.where} items`),
      cursor: optional(trigger.cursor, `${context.where} cursor`),
      store: context.store,
      systems: context.systems,
      logger: context.logger,
    }),
  // A drop folder of CSV or fixed-width files (src/adapters/csv); the run id derives from the rows.
  file: (trigger, { key, logger }) => {
    const source = createFileTrigger({ ...trigger, logger });
    return {
      start: (fire) =>
        source.start((input, meta) => fire(input, { id: stableId('file-run', key, meta.key) })),
      stop: () => source.stop(),
    };
  },
};

type StartRun = (
  flow: string,
  input: unknown,
  options: { triggerType: string; correlationId: string; id?: string },
) => Promise<unknown>;

export interface TriggerSources {
  /** Replaces the sources (on start and every reload); compiles their expressions first (throws). */
  set(flows: readonly CompiledFlow[]): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createTriggerSources(
  deps: Omit<TriggerContext, 'flow' | 'key' | 'where'> & { startRun: StartRun },
): TriggerSources {
  let sources: { readonly flow: string; readonly type: string; readonly source: TriggerSource }[] = [];
  let running = false;

  const startOne = ({ flow, type, source }: (typeof sources)[number]) =>
    source.start(async (input: unknown, meta: FireMeta) => {
      await deps.startRun(flow, input, {
        triggerType: type,
        correlationId: meta.correlationId ?? randomUUID(),
        ...(meta.id === undefined ? {} : { id: meta.id }),
      });
    });

  return {
    set(flows) {
      const next: typeof sources = [];
      for (const flow of flows) {
        const { name } = flow.definition;
        flow.definition.triggers.forEach((trigger, index) => {
          if (trigger.type === 'webhook' || trigger.type === 'schedule') return;
          const context = {
            ...deps,
            flow: name,
            key: `${name}:${index}`,
            where: `${flow.definition.source.file} trigger ${index + 1}`,
          };
          const factory = sourceKinds[trigger.type] as SourceFactory<typeof trigger.type>;
          next.push({ flow: name, type: trigger.type, source: factory(trigger as never, context) });
        });
      }
      const previous = sources;
      sources = next;
      const swap = async () => {
        await Promise.all(previous.map((entry) => entry.source.stop()));
        if (running) await Promise.all(sources.map(startOne));
      };
      swap().catch((error: unknown) =>
        deps.logger.error({ err: error }, 'trigger sources could not be swapped'),
      );
    },
    async start() {
      running = true;
      await Promise.all(sources.map(startOne));
    },
    async stop() {
      running = false;
      await Promise.all(sources.map((entry) => entry.source.stop()));
    },
  };
}
