/** A flow paused because the credentials of a system it uses became invalid. */
export interface ConnectionPausesTable {
  system: string;
  flow: string;
  paused_at: number;
}

export interface ConnectionPauseRecord {
  readonly system: string;
  readonly flow: string;
  readonly pausedAt: number;
}

/**
 * Which flows a connection's invalid credentials paused, so that they are resumed when the
 * credentials work again, and only when no other system still holds them (a flow paused by
 * hand has no record here and is never resumed by a connection).
 */
export interface ConnectionPauseRepository {
  /** Records that `system` holds `flow` paused (idempotent). */
  hold(system: string, flow: string, now: number): Promise<void>;
  /** Drops the system's holds; answers the flows it held that no other system holds. */
  release(system: string): Promise<string[]>;
  /** Whether any system holds the flow paused. */
  held(flow: string): Promise<boolean>;
  list(): Promise<ConnectionPauseRecord[]>;
}
