import type { ConfluxFile } from './file-shapes.ts';
import type { ProjectSettings } from './model.ts';

export const defaultSettings = {
  environment: 'dev',
  gateway: { host: '0.0.0.0', port: 8080 },
  admin: { host: '127.0.0.1', port: 8081 },
  shutdownTimeoutMs: 10_000,
  retention: { succeeded: '7d', failed: '30d', dead: '30d' },
  reload: { conformance: true },
} as const;

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `7d`, `12h`, `30m`, `45s`, `500ms` in milliseconds (the schema has checked the pattern). */
function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  return match === null ? Number.NaN : Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] ?? Number.NaN);
}

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
    retention: {
      succeeded: durationMs(file.retention?.succeeded ?? defaultSettings.retention.succeeded),
      failed: durationMs(file.retention?.failed ?? defaultSettings.retention.failed),
      dead: durationMs(file.retention?.dead ?? defaultSettings.retention.dead),
    },
    reload: { conformance: file.reload?.conformance ?? defaultSettings.reload.conformance },
  };
}
