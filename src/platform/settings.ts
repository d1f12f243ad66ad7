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
  };
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
