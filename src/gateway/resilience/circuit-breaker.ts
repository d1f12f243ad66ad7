import type { CircuitBreakerSettings } from '../../project/index.ts';

export type CircuitState = 'closed' | 'open' | 'half-open';

const BUCKETS = 10;

/**
 * A circuit breaker for one upstream. Closed, it counts outcomes in a sliding window of ten
 * buckets; when the window holds at least `minCalls` and the failure ratio reaches
 * `errorRate`, it opens and refuses calls for `openMs`. Then it lets exactly one probe
 * through (half-open): success closes it with a fresh window, failure opens it again.
 */
export class CircuitBreaker {
  private stateNow: CircuitState = 'closed';
  private openedAt = 0;
  private probing = false;
  private readonly starts = new Float64Array(BUCKETS);
  private readonly calls = new Uint32Array(BUCKETS);
  private readonly failures = new Uint32Array(BUCKETS);

  constructor(
    public settings: CircuitBreakerSettings,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    if (this.stateNow === 'open' && this.now() - this.openedAt >= this.settings.openMs) return 'half-open';
    return this.stateNow;
  }

  /** Milliseconds until an open circuit lets a probe through. */
  retryAfterMs(): number {
    return Math.max(0, this.settings.openMs - (this.now() - this.openedAt));
  }

  /** May a call go out now? In half-open state only one probe at a time may. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  onSuccess(): void {
    if (this.probing || this.stateNow === 'open') {
      this.close();
      return;
    }
    this.count(false);
  }

  onFailure(): void {
    if (this.probing || this.stateNow === 'open') {
      this.open();
      return;
    }
    this.count(true);
    let calls = 0;
    let failures = 0;
    const since = this.now() - this.settings.windowMs;
    for (let i = 0; i < BUCKETS; i++) {
      if ((this.starts[i] as number) <= since) continue;
      calls += this.calls[i] as number;
      failures += this.failures[i] as number;
    }
    if (calls >= this.settings.minCalls && failures / calls >= this.settings.errorRate) this.open();
  }

  private count(failed: boolean): void {
    const width = this.settings.windowMs / BUCKETS;
    const now = this.now();
    const index = Math.floor(now / width) % BUCKETS;
    const start = Math.floor(now / width) * width;
    if (this.starts[index] !== start) {
      this.starts[index] = start;
      this.calls[index] = 0;
      this.failures[index] = 0;
    }
    this.calls[index] = (this.calls[index] as number) + 1;
    if (failed) this.failures[index] = (this.failures[index] as number) + 1;
  }

  private open(): void {
    this.stateNow = 'open';
    this.openedAt = this.now();
    this.probing = false;
  }

  private close(): void {
    this.stateNow = 'closed';
    this.probing = false;
    this.starts.fill(0);
    this.calls.fill(0);
    this.failures.fill(0);
  }
}

/** One breaker per upstream origin, kept across reloads so a reload does not reset its state. */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly now: () => number = Date.now) {}

  get(upstream: string, settings: CircuitBreakerSettings): CircuitBreaker {
    let breaker = this.breakers.get(upstream);
    if (breaker === undefined) {
      breaker = new CircuitBreaker(settings, this.now);
      this.breakers.set(upstream, breaker);
    } else breaker.settings = settings;
    return breaker;
  }

  states(): Record<string, CircuitState> {
    return Object.fromEntries([...this.breakers].map(([upstream, breaker]) => [upstream, breaker.state]));
  }
}
