/**
 * Turns driver errors into the store's stable codes, so callers branch on STORE_UNAVAILABLE
 * or STORE_CONFLICT whatever the dialect. Messages name where the database is (host or file),
 * never a password.
 */
import { ConfluxError } from '../errors/index.ts';
import type { Dialect } from './types.ts';

export interface StoreTarget {
  readonly dialect: Dialect;
  /** `host:port/database` or the SQLite file path. */
  readonly where: string;
  /** Text to scrub from any message taken from the driver (the URL's password). */
  readonly secret?: string;
}

// Node socket errors, and PostgreSQL SQLSTATEs for "connection exception" (08), "insufficient
// resources" (53), "operator intervention" (57: shutdown, cannot connect now) and auth (28).
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  // the SQLite file's folder cannot be created or written
  'ENOTDIR',
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOSPC',
  'SQLITE_CANTOPEN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_READONLY',
  'SQLITE_FULL',
  'SQLITE_NOTADB',
]);
const UNAVAILABLE_SQLSTATE_CLASSES = ['08', '53', '57', '28', '3D'];
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not open/i,
];

const UNIQUE_CODES = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

function codeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  // Node reports a failed connect to several addresses (localhost → ::1, 127.0.0.1) as an
  // AggregateError whose members carry the code.
  const inner = (error as { errors?: unknown }).errors;
  return Array.isArray(inner) ? codeOf(inner[0]) : '';
}

function isUnavailable(error: unknown, code: string): boolean {
  if (UNAVAILABLE_CODES.has(code) || code.startsWith('SQLITE_IOERR')) return true;
  if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATE_CLASSES.some((c) => code.startsWith(c))) return true;
  const message = error instanceof Error ? error.message : '';
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}

function scrub(text: string, secret: string | undefined): string {
  return secret ? text.replaceAll(secret, '***') : text;
}

export function translateStoreError(target: StoreTarget, error: unknown): unknown {
  if (error instanceof ConfluxError) return error;
  const code = codeOf(error);
  const reason = scrub(
    error instanceof Error && error.message !== '' ? error.message : code || 'unknown error',
    target.secret,
  );
  const database = target.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite';
  if (UNIQUE_CODES.has(code)) {
    const constraint = (error as { constraint?: unknown }).constraint;
    return new ConfluxError('STORE_CONFLICT', `A record with the same key already exists (${reason})`, {
      details: typeof constraint === 'string' ? { constraint } : {},
      cause: error,
    });
  }
  if (isUnavailable(error, code)) {
    return new ConfluxError(
      'STORE_UNAVAILABLE',
      `Cannot use the ${database} store at ${target.where}: ${reason}`,
      {
        details: { dialect: target.dialect, where: target.where, ...(code ? { reason: code } : {}) },
        cause: error,
      },
    );
  }
  return error;
}

/**
 * Wraps every method of a repository so that whatever it throws goes through
 * translateStoreError; repositories stay free of try/catch.
 */
export function guardRepository<T extends object>(target: StoreTarget, repository: T): T {
  const guarded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(repository)) {
    guarded[key] =
      typeof value === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await value.apply(repository, args);
            } catch (error) {
              throw translateStoreError(target, error);
            }
          }
        : value;
  }
  return guarded as T;
}
