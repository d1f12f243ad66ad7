import assert from 'node:assert/strict';

/** Reads until `ok` holds, every 50 ms for at most 15 s: for state other processes or timers change. */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 300; i += 1) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return assert.fail(`timed out waiting for ${what}`);
}
