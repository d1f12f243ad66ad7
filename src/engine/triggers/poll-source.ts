import { createHash } from 'node:crypto';
import type { CompiledExpression } from '../../mapping/index.ts';
import type { Logger } from '../../observability/index.ts';
import type { Store } from '../../store/index.ts';
import type { SystemCaller } from '../../systems/index.ts';
import { stableId } from '../steps/stable-id.ts';
import type { TriggerSource } from './types.ts';

export interface PollOptions {
  /** `<flow>:<trigger index>`: names the poller's state and tick claims. */
  readonly key: string;
  readonly system: string;
  readonly operation: string;
  readonly everyMs: number;
  readonly input: CompiledExpression | undefined;
  readonly items: CompiledExpression | undefined;
  readonly cursor: CompiledExpression | undefined;
  readonly store: Store;
  readonly systems: SystemCaller;
  readonly logger: Logger;
}

// Hashes of seen items are kept this long (content-hash mode); an item unseen for longer fires again.
const SEEN_TTL_MS = 30 * 86_400_000;

function hashOf(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value) ?? 'null')
    .digest('hex');
}

function above(a: unknown, b: unknown): boolean {
  if (b === undefined || b === null) return true;
  return typeof a === 'number' && typeof b === 'number' ? a > b : String(a) > String(b);
}

/**
 * `poll`: calls an operation every interval and fires once per new item. New means above the
 * stored cursor (cursor mode) or with a content hash not seen before (hash mode). Every process
 * computes the same ticks and claims each in the store, so one process polls per tick; the run
 * id is derived from the item, so an item fires once even if two ticks see it.
 */
export function createPollSource(options: PollOptions): TriggerSource {
  const { store, logger } = options;
  const stateKey = `poll:${options.key}`;
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  async function tick(fire: Parameters<TriggerSource['start']>[0], tickAt: number): Promise<void> {
    if (!(await store.schedules.claimFire(stateKey, tickAt))) return;
    const state = ((await store.engine.getState(stateKey)) ?? {}) as { cursor?: unknown };
    const cursor = state.cursor ?? null;
    const parameters = options.input === undefined ? {} : ((await options.input.evaluate({ cursor })) ?? {});
    const call = [
      options.system,
      options.operation,
      parameters as Record<string, unknown>,
      { correlationId: stableId('poll', stateKey, String(tickAt)) },
    ] as const;
    // An operation that pages (a FHIR search, a declared `pagination`) is read to its last page.
    const answers = options.systems.pages?.(...call) ?? [await options.systems.call(...call)];
    const items: unknown[] = [];
    for await (const response of answers) {
      if (response.status >= 400) {
        logger.warn({ poll: options.key, status: response.status }, 'poll call failed; next tick retries');
        return;
      }
      const result = { status: response.status, headers: response.headers, body: response.body };
      const value = options.items === undefined ? result.body : await options.items.evaluate(result);
      if (value !== undefined && value !== null) items.push(...(Array.isArray(value) ? value : [value]));
    }
    let highest: unknown = cursor;
    for (const item of items) {
      if (options.cursor !== undefined) {
        const itemCursor = await options.cursor.evaluate(item);
        if (!above(itemCursor, cursor)) continue;
        await fire(item, { id: stableId('poll-run', stateKey, JSON.stringify(itemCursor)) });
        if (above(itemCursor, highest)) highest = itemCursor;
      } else {
        const hash = hashOf(item);
        if (!(await store.engine.claimOnce(stateKey, hash, Date.now() + SEEN_TTL_MS, Date.now()))) continue;
        await fire(item, { id: stableId('poll-run', stateKey, hash) });
      }
    }
    if (options.cursor !== undefined && highest !== cursor) {
      await store.engine.setState(stateKey, { cursor: highest }, Date.now());
    }
  }

  return {
    start(fire) {
      running = true;
      const arm = () => {
        if (!running) return;
        const next = (Math.floor(Date.now() / options.everyMs) + 1) * options.everyMs;
        timer = setTimeout(() => {
          tick(fire, next)
            .catch((error: unknown) => logger.error({ poll: options.key, err: error }, 'poll tick failed'))
            .finally(arm);
        }, next - Date.now());
        timer.unref();
      };
      arm();
      return Promise.resolve();
    },
    stop() {
      running = false;
      clearTimeout(timer);
      return Promise.resolve();
    },
  };
}
