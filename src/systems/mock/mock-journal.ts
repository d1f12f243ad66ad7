const KEPT_REQUESTS = 100;

export interface JournalEntry {
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly idempotencyKey?: string;
  /** True when the answer was the stored one for a repeated Idempotency-Key. */
  readonly replayed: boolean;
  readonly at: string;
}

/** Counts calls per operation and keeps the last requests, for tests and demos to inspect. */
export interface MockJournal {
  record(entry: JournalEntry): void;
  calls(): Record<string, number>;
  requests(operation?: string): JournalEntry[];
}

export function createMockJournal(): MockJournal {
  const counts = new Map<string, number>();
  const recent: JournalEntry[] = [];
  return {
    record(entry) {
      counts.set(entry.operation, (counts.get(entry.operation) ?? 0) + 1);
      recent.push(entry);
      if (recent.length > KEPT_REQUESTS) recent.shift();
    },
    calls: () => Object.fromEntries(counts),
    requests: (operation) =>
      recent.filter((entry) => operation === undefined || entry.operation === operation),
  };
}
