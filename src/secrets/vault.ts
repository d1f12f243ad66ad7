import { ConfluxError } from '../errors/index.ts';
import type { SecretEnvelope, Store } from '../store/index.ts';
import { openSecret, sealSecret, unwrapDataKey, wrapDataKey } from './envelope.ts';
import { assertKek, kekIdOf } from './kek.ts';
import { createRedactor, type Redactor } from './redactor.ts';
import { assertSecretName } from './secret-name.ts';

export interface VaultOptions {
  readonly store: Pick<Store, 'secrets'>;
  /** The current key-encryption key (32 bytes): seals every new value. */
  readonly kek: Buffer;
  /** Earlier KEKs, still accepted for reading during a rotation (see rotate()). */
  readonly previousKeks?: readonly Buffer[];
  /** Shared with the engine so values read here are scrubbed from what it persists. */
  readonly redactor?: Redactor;
  readonly now?: () => number;
}

export interface Vault {
  /** Fingerprint of the current KEK. */
  readonly kekId: string;
  readonly redactor: Redactor;
  set(name: string, value: string): Promise<void>;
  /** Throws SECRET_NOT_FOUND when missing, SECRET_DECRYPT_FAILED when the envelope does not open. */
  get(name: string): Promise<string>;
  has(name: string): Promise<boolean>;
  list(): Promise<string[]>;
  delete(name: string): Promise<boolean>;
  /**
   * Re-wraps every data key sealed by a previous KEK under the current one. `failed` names the
   * secrets that could not be opened (unknown KEK, altered); they are left as they were.
   */
  rotate(): Promise<{ rotated: number; failed: string[] }>;
}

export function createVault(options: VaultOptions): Vault {
  const repository = options.store.secrets;
  const now = options.now ?? Date.now;
  const redactor = options.redactor ?? createRedactor();
  const keyring = new Map<string, Buffer>();
  for (const key of [options.kek, ...(options.previousKeks ?? [])]) {
    assertKek(key);
    if (!keyring.has(kekIdOf(key))) keyring.set(kekIdOf(key), key);
  }
  const kekId = kekIdOf(options.kek);

  function keyFor(envelope: SecretEnvelope): Buffer {
    const key = keyring.get(envelope.kekId);
    if (key !== undefined) return key;
    throw new ConfluxError(
      'SECRET_DECRYPT_FAILED',
      `The secret "${envelope.name}" was sealed under key-encryption key ${envelope.kekId}, but this vault holds ${[...keyring.keys()].join(', ')}; configure that key (as a previous key to rotate)`,
      { details: { name: envelope.name, kekId: envelope.kekId, available: [...keyring.keys()] } },
    );
  }

  return {
    kekId,
    redactor,

    async set(name, value) {
      assertSecretName(name);
      await repository.put(sealSecret(name, value, options.kek, now()));
      redactor.register(value);
    },

    async get(name) {
      assertSecretName(name);
      const envelope = await repository.get(name);
      if (envelope === undefined) {
        throw new ConfluxError(
          'SECRET_NOT_FOUND',
          `No secret named "${name}"; set it first (admin API or CLI)`,
          {
            details: { name },
          },
        );
      }
      const value = openSecret(envelope, keyFor(envelope));
      redactor.register(value);
      return value;
    },

    async has(name) {
      assertSecretName(name);
      return (await repository.get(name)) !== undefined;
    },

    list() {
      return repository.listNames();
    },

    // async so that a bad name rejects like every other failure instead of throwing.
    async delete(name) {
      assertSecretName(name);
      return await repository.delete(name);
    },

    async rotate() {
      const result = { rotated: 0, failed: [] as string[] };
      for (const name of await repository.listNames()) {
        const envelope = await repository.get(name);
        if (envelope === undefined || envelope.kekId === kekId) continue;
        let dataKey: Buffer;
        try {
          dataKey = unwrapDataKey(envelope, keyFor(envelope));
        } catch {
          // One unreadable secret must not leave the others on the old key.
          result.failed.push(name);
          continue;
        }
        try {
          await repository.put({ ...envelope, ...wrapDataKey(dataKey, name, options.kek), updatedAt: now() });
        } finally {
          dataKey.fill(0);
        }
        result.rotated++;
      }
      return result;
    },
  };
}
