import { hkdfSync } from 'node:crypto';
import { join } from 'node:path';
import {
  type ApiKeyService,
  type ConsumerDirectory,
  createApiKeyService,
  createConsumerDirectory,
} from '../identity/index.ts';
import { createLogger, type Logger } from '../observability/index.ts';
import {
  createRedactor,
  createVault,
  loadOrCreateKekFile,
  parseKek,
  type Redactor,
  type Vault,
} from '../secrets/index.ts';
import { createStore, type Store } from '../store/index.ts';
import type { Settings } from './settings.ts';

/**
 * The stateful core every entry point needs, the server and the CLI's offline commands
 * (`conflux key create`, `conflux secret set`) alike: store, vault and key service.
 */
export interface Core {
  readonly logger: Logger;
  readonly store: Store;
  readonly vault: Vault;
  readonly redactor: Redactor;
  readonly keys: ApiKeyService;
  /** Consumer records with plans, cached 2 s (identity/consumer-directory.ts). */
  readonly consumers: ConsumerDirectory;
  /**
   * Keys the callback URLs of `wait` steps. Derived from the KEK, so every process of a
   * deployment (which shares the KEK) computes the same URL for the same waiting step.
   */
  readonly callbackSecret: string;
  close(): Promise<void>;
}

export function stateDirectory(projectRoot: string): string {
  return join(projectRoot, '.conflux');
}

export async function openCore(options: {
  projectRoot: string;
  settings: Settings;
  environment: string;
  logger?: Logger;
  /** A long-running server (not a CLI command): SQLite checkpoints in a background thread. */
  serving?: boolean;
}): Promise<Core> {
  const logger = options.logger ?? createLogger({ level: options.settings.logLevel });
  const state = stateDirectory(options.projectRoot);
  const kek =
    options.settings.secretKey === undefined
      ? await loadOrCreateKekFile(join(state, 'secret.key'), logger)
      : parseKek(options.settings.secretKey);
  const store = await createStore({
    ...(options.settings.databaseUrl === undefined ? {} : { databaseUrl: options.settings.databaseUrl }),
    sqlitePath: join(state, 'conflux.db'),
    ...(options.serving === true
      ? { backgroundCheckpoints: { onProblem: (problem: string) => logger.warn({ problem }, 'SQLite') } }
      : {}),
  });
  const redactor = createRedactor();
  const vault = createVault({ store, kek, redactor });
  // The key-hash pepper is derived from the KEK, so one secret protects both and a copy of
  // the database alone cannot be used to test guessed keys.
  const pepper = Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), 'conflux api-key hash v1', 32));
  const callbackSecret = Buffer.from(
    hkdfSync('sha256', kek, Buffer.alloc(0), 'conflux wait callback v1', 32),
  ).toString('hex');
  const consumers = createConsumerDirectory({ store });
  const keys = createApiKeyService({ store, pepper, environment: options.environment, consumers });
  return {
    logger,
    store,
    vault,
    redactor,
    keys,
    consumers,
    callbackSecret,
    close: () => store.close(),
  };
}
