import type { TimelineStep } from './context.ts';

export interface RequestTrace {
  readonly correlationId: string;
  /** Epoch milliseconds (formatted when read: most traces are never read). */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly api: string;
  readonly version: string;
  readonly route: string;
  readonly consumer: string | undefined;
  readonly status: number;
  /** The policy that rejected the request, if one did. */
  readonly rejectedBy: string | undefined;
  readonly steps: readonly TimelineStep[];
  readonly upstreamMs: number | undefined;
  readonly totalMs: number;
}

/**
 * The most recent request traces, bounded: a fixed array used as a ring plus an index by
 * correlation id, so memory stays constant under any load and a lookup is O(1).
 */
export class TraceRing {
  private readonly slots: (RequestTrace | undefined)[];
  private readonly byId = new Map<string, RequestTrace>();
  private next = 0;

  constructor(readonly capacity = 2_000) {
    this.slots = new Array<RequestTrace | undefined>(capacity);
  }

  add(trace: RequestTrace): void {
    const evicted = this.slots[this.next];
    if (evicted !== undefined && this.byId.get(evicted.correlationId) === evicted)
      this.byId.delete(evicted.correlationId);
    this.slots[this.next] = trace;
    this.byId.set(trace.correlationId, trace);
    this.next = (this.next + 1) % this.capacity;
  }

  get(correlationId: string): RequestTrace | undefined {
    return this.byId.get(correlationId);
  }
}
