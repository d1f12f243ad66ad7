export type ConnectionState = 'ok' | 'expiring' | 'invalid' | 'unknown';

export interface ConnectionHealth {
  readonly system: string;
  readonly state: ConnectionState;
  readonly reason?: string;
  readonly since: number;
}

/**
 * Emitted when a system's credentials become invalid (for alerts and webhooks: a flow `event`
 * trigger) and when they stop being invalid (a token obtained, a call passed, the credentials
 * rotated: `state` says which). Flows using the system are paused and resumed on these.
 */
export interface ConnectionEvent {
  readonly type: 'system.connection.invalid' | 'system.connection.ok';
  readonly system: string;
  /** The state entered: `invalid`, or `ok`/`expiring`/`unknown` when leaving it. */
  readonly state: ConnectionState;
  readonly reason?: string;
  readonly at: number;
}

/**
 * The health of each system's credentials: `ok` after a token was obtained or a call passed,
 * `expiring` when a refresh failed transiently while the current token is about to lapse,
 * `invalid` when the server refused them (refresh refused, repeated 401), `unknown` until used
 * or after a rotation. Changes into and out of `invalid` are emitted once, not per call.
 */
export function createConnectionHealth(
  options: { onEvent?: (event: ConnectionEvent) => void; now?: () => number } = {},
) {
  const now = options.now ?? Date.now;
  const states = new Map<string, ConnectionHealth>();
  return {
    set(system: string, state: ConnectionState, reason?: string): void {
      const previous = states.get(system);
      if (previous?.state === state && previous.reason === reason) return;
      // Still invalid for another reason (another operation refused): no new since, no new event.
      if (previous?.state === 'invalid' && state === 'invalid') return;
      states.set(system, { system, state, ...(reason === undefined ? {} : { reason }), since: now() });
      const entered = state === 'invalid';
      if (!entered && previous?.state !== 'invalid') return;
      options.onEvent?.({
        type: entered ? 'system.connection.invalid' : 'system.connection.ok',
        system,
        state,
        ...(reason === undefined ? {} : { reason }),
        at: now(),
      });
    },
    get(system: string): ConnectionHealth {
      return states.get(system) ?? { system, state: 'unknown', since: now() };
    },
    list(): ConnectionHealth[] {
      return [...states.values()];
    },
  };
}

export type ConnectionHealthTracker = ReturnType<typeof createConnectionHealth>;
