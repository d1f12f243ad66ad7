const MAX_ENTRIES = 10_000;

export interface StoredAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

/**
 * First answers by Idempotency-Key, per method and path: a repeat gets the stored answer and
 * changes no state, which is how demo systems prove that a retried call happened once.
 * Bounded; the oldest keys go first.
 */
export function createIdempotencyCache(): {
  get(method: string, path: string, key: string): StoredAnswer | undefined;
  set(method: string, path: string, key: string, answer: StoredAnswer): void;
} {
  const answers = new Map<string, StoredAnswer>();
  const id = (method: string, path: string, key: string) => `${method} ${path}\n${key}`;
  return {
    get: (method, path, key) => answers.get(id(method, path, key)),
    set(method, path, key, answer) {
      answers.set(id(method, path, key), answer);
      if (answers.size > MAX_ENTRIES) {
        const oldest = answers.keys().next().value;
        if (oldest !== undefined) answers.delete(oldest);
      }
    },
  };
}
