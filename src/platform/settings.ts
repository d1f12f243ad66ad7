import { ConfluxError } from '../errors/index.ts';

/**
 * Process settings from the environment, read and validated once here (no other module reads
 * process.env). Each field documents its variable; docs/operations.md lists them too.
 */
export interface Settings {
  /** CONFLUX_DATABASE_URL: postgres://… for PostgreSQL; unset for embedded SQLite in PROJECT/.conflux/. */
  readonly databaseUrl: string | undefined;
  /** CONFLUX_REDIS_URL: optional; shared rate limits and cache when set. */
  readonly redisUrl: string | undefined;
  /** CONFLUX_SECRET_KEY: the key-encryption key (64 hex chars or base64 of 32 bytes). */
  readonly secretKey: string | undefined;
  /** CONFLUX_ADMIN_TOKEN: bootstrap admin bearer token; generated on first embedded start when unset. */
  readonly adminToken: string | undefined;
  /** CONFLUX_LOG_LEVEL: trace, debug, info (default), warn, error, fatal or silent. */
  readonly logLevel: string;
  /** CONFLUX_GATEWAY_PORT / CONFLUX_ADMIN_PORT: override the project's ports (0 = any free port). */
  readonly gatewayPort: number | undefined;
  readonly adminPort: number | undefined;
  /** CONFLUX_GATEWAY_HOST / CONFLUX_ADMIN_HOST: override the project's listen addresses. */
  readonly gatewayHost: string | undefined;
  readonly adminHost: string | undefined;
  /**
   * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (full URL), or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces:
   * where spans go over OTLP/HTTP; unset: no tracing SDK runs at all.
   */
  readonly otlpTracesEndpoint: string | undefined;
  /** OTEL_SERVICE_NAME: the service.name of exported spans (default conflux). */
  readonly serviceName: string;
  /** OTEL_TRACES_SAMPLER_ARG: share of new traces recorded, 0..1 (default 1); callers' sampled flag wins. */
  readonly traceSampleRatio: number;
  /** CONFLUX_WORKER_CONCURRENCY: runs a worker process executes at once (default 64). */
  readonly workerConcurrency: number | undefined;
  /**
   * CONFLUX_WORKER_LEASE_MS: how long a claimed run stays leased without renewal (default 30000,
   * renewed every third): after a worker dies, its runs wait this long for another worker.
   */
  readonly workerLeaseMs: number | undefined;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export function readSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const logLevel = text('CONFLUX_LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw invalid('CONFLUX_LOG_LEVEL', logLevel, `one of ${LOG_LEVELS.join(', ')}`);
  }
  const databaseUrl = text('CONFLUX_DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw invalid('CONFLUX_DATABASE_URL', 'a non-PostgreSQL URL', 'postgres://user@host:port/database');
  }
  const redisUrl = text('CONFLUX_REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw invalid('CONFLUX_REDIS_URL', 'a non-Redis URL', 'redis://host:port');
  }
  return {
    databaseUrl,
    redisUrl,
    secretKey: text('CONFLUX_SECRET_KEY'),
    adminToken: text('CONFLUX_ADMIN_TOKEN'),
    logLevel,
    gatewayPort: port(env, 'CONFLUX_GATEWAY_PORT'),
    adminPort: port(env, 'CONFLUX_ADMIN_PORT'),
    gatewayHost: text('CONFLUX_GATEWAY_HOST'),
    adminHost: text('CONFLUX_ADMIN_HOST'),
    otlpTracesEndpoint: otlpEndpoint(text),
    serviceName: text('OTEL_SERVICE_NAME') ?? 'conflux',
    traceSampleRatio: ratio(text('OTEL_TRACES_SAMPLER_ARG')),
    workerConcurrency: positive(text('CONFLUX_WORKER_CONCURRENCY'), 'CONFLUX_WORKER_CONCURRENCY', 1, 1000),
    workerLeaseMs: positive(text('CONFLUX_WORKER_LEASE_MS'), 'CONFLUX_WORKER_LEASE_MS', 1000, 3_600_000),
  };
}

function positive(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max)
    throw invalid(name, value, `an integer from ${min} to ${max}`);
  return number;
}

function otlpEndpoint(text: (name: string) => string | undefined): string | undefined {
  const traces = text('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = text('OTEL_EXPORTER_OTLP_ENDPOINT');
  const url = traces ?? (base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`);
  if (url !== undefined && !/^https?:\/\/[^/]/.test(url)) {
    const name = traces === undefined ? 'OTEL_EXPORTER_OTLP_ENDPOINT' : 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT';
    throw invalid(name, 'a non-HTTP URL', 'http(s)://collector:4318');
  }
  return url;
}

function ratio(value: string | undefined): number {
  if (value === undefined) return 1;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 1)
    throw invalid('OTEL_TRACES_SAMPLER_ARG', value, 'a number from 0 to 1');
  return number;
}

function port(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535)
    throw invalid(name, value, 'a port number 0-65535');
  return number;
}

/** Never echoes the value of a variable that may hold a credential. */
function invalid(name: string, found: string, expected: string): ConfluxError {
  return new ConfluxError('CONFIG_INVALID', `${name} is invalid: found ${found}, expected ${expected}.`, {
    details: { variable: name, expected },
  });
}
