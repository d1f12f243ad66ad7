import { type ErrorCode, type ErrorKind, errorCatalogue } from './catalogue.ts';

export interface ConfluxErrorOptions {
  /** Facts a caller can act on (field names, limits); must never hold secret values. */
  readonly details?: Record<string, unknown>;
  readonly cause?: unknown;
  /** Overrides the catalogue's HTTP status where one code covers several (e.g. upstream status). */
  readonly status?: number;
}

/** The one base error. Branch on `code` (or instanceof), never on `message`. */
export class ConfluxError extends Error {
  override readonly name = 'ConfluxError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ConfluxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const spec = errorCatalogue[code];
    this.code = code;
    this.status = options.status ?? spec.status;
    this.kind = spec.kind;
    this.details = options.details ?? {};
  }

  get title(): string {
    return errorCatalogue[this.code].title;
  }
}

export function isConfluxError(value: unknown): value is ConfluxError {
  return value instanceof ConfluxError;
}

/** Wraps anything thrown into a ConfluxError without losing the original as cause. */
export function toConfluxError(value: unknown): ConfluxError {
  if (value instanceof ConfluxError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new ConfluxError('INTERNAL', message, { cause: value });
}
