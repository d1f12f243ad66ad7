import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConformanceReport, runConformanceSpecs } from '../gateway/index.ts';
import { createLogger } from '../observability/index.ts';
import { startPlatform } from './platform.ts';

/**
 * `conflux test --gateway`: runs the project's `specs/*.spec.yaml` against the project started
 * in-process on ephemeral loopback ports. It runs on a copy of the project without its
 * `.conflux` state, so a running instance is not disturbed and every run starts from an empty
 * store (keys, quotas, audit). Only CONFLUX_SECRET_KEY is taken from the environment.
 */
export async function runGatewayConformance(
  projectRoot: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ConformanceReport> {
  const copy = mkdtempSync(join(tmpdir(), 'conflux-conformance-'));
  cpSync(projectRoot, copy, { recursive: true, filter: (path) => !path.includes('.conflux') });
  try {
    return await runConformanceSpecs(copy, {
      async start(root) {
        const platform = await startPlatform({
          projectRoot: root,
          env: {
            CONFLUX_GATEWAY_PORT: '0',
            CONFLUX_ADMIN_PORT: '0',
            CONFLUX_GATEWAY_HOST: '127.0.0.1',
            CONFLUX_ADMIN_HOST: '127.0.0.1',
            CONFLUX_ADMIN_TOKEN: randomBytes(24).toString('hex'),
            CONFLUX_LOG_LEVEL: 'silent',
            CONFLUX_SECRET_KEY: env.CONFLUX_SECRET_KEY,
          },
          version: 'conformance',
          logger: createLogger({ level: 'silent' }),
        });
        return {
          gatewayUrl: platform.gatewayUrl,
          issueKey: async (consumer, scopes) =>
            (
              await platform.core.keys.create({
                consumer,
                name: consumer,
                scopes: [...scopes],
                expiresAt: null,
              })
            ).key,
          stop: () => platform.stop(),
        };
      },
    });
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
