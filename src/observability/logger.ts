import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths whose values are replaced before a line is written. Secrets must never reach a log,
 * even when a caller logs a whole request or config object by mistake.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'secret',
  'password',
  'apiKey',
  'key',
  '*.secret',
  '*.password',
  '*.apiKey',
  '*.token',
];

export interface LoggerOptions {
  readonly level: string;
  /** Defaults to stdout; tests pass a stream to read what was logged. */
  readonly destination?: DestinationStream;
  /** Log to stderr instead, for CLI commands whose stdout is their result (`--json`). */
  readonly stderr?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'conflux' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ??
      pino.destination({
        fd: options.stderr === true ? 2 : 1,
        sync: false,
        // Lines are written in batches of about 8 KiB (at the latest every 250 ms) rather than one
        // write per line: at gateway rates one write per access line cost ~15% of the CPU. Pino
        // flushes the batch on exit; a SIGKILL loses at most the last 250 ms of lines.
        minLength: 8192,
        periodicFlush: 250,
      }),
  );
}
