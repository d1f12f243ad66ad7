import type { ConfluxFile } from './file-shapes.ts';
import type { ProjectSettings } from './model.ts';

export const defaultSettings = {
  environment: 'dev',
  gateway: { host: '0.0.0.0', port: 8080 },
  admin: { host: '127.0.0.1', port: 8081 },
  shutdownTimeoutMs: 10_000,
} as const;

/** conflux.yaml with its defaults filled; `environment` from the platform wins over the file's. */
export function buildSettings(file: ConfluxFile, environment: string | undefined): ProjectSettings {
  return {
    name: file.name,
    environment: environment ?? file.environment ?? defaultSettings.environment,
    gateway: {
      host: file.gateway?.host ?? defaultSettings.gateway.host,
      port: file.gateway?.port ?? defaultSettings.gateway.port,
    },
    admin: {
      host: file.admin?.host ?? defaultSettings.admin.host,
      port: file.admin?.port ?? defaultSettings.admin.port,
    },
    shutdownTimeoutMs: file.shutdown?.timeoutMs ?? defaultSettings.shutdownTimeoutMs,
  };
}
