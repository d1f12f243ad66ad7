import type { SystemCaller } from '../../systems/index.ts';

/**
 * After a replay, steps run again under a fresh idempotency key (`<run>:<step>:replay-<n>`):
 * the system may have stored the failed answer (or the old input) under the original key, and
 * an edited input under a reused key is refused by systems that check. Within one replay the
 * key stays stable across retries and resumes.
 */
export function scopeIdempotency(systems: SystemCaller, replays: number): SystemCaller {
  if (replays === 0) return systems;
  return {
    call: (system, operation, input, options) =>
      systems.call(system, operation, input, {
        ...options,
        ...(options.idempotencyKey === undefined
          ? {}
          : { idempotencyKey: `${options.idempotencyKey}:replay-${replays}` }),
      }),
  };
}
