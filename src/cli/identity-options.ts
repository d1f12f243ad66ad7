import { ConfluxError } from '../errors/index.ts';
import type { ConsumerContact, QuotaSetting, RateLimitSetting } from '../store/index.ts';

/** The admin API's patterns (src/admin/routes), so both front doors accept the same names. */
const NAME = /^[A-Za-z0-9][\w.-]{0,127}$/;
const SCOPE = /^[\w:.-]{1,64}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DURATION = /^(\d+)([smhd])$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };
const WINDOW_WORDS: Readonly<Record<string, number>> = { second: 1, minute: 60, hour: 3_600, day: 86_400 };

export function badOption(option: string, found: string, expected: string): ConfluxError {
  return new ConfluxError('HTTP_BAD_REQUEST', `--${option}: found "${found}", expected ${expected}.`, {
    details: { option, expected },
  });
}

export function checkName(option: string, name: string): string {
  if (!NAME.test(name))
    throw badOption(option, name, 'letters, digits, ".", "_" or "-", starting with a letter or digit');
  return name;
}

/** `a,b , c` → [a, b, c]; empty items dropped. */
export function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function names(option: string, text: string): string[] {
  return list(text).map((name) => checkName(option, name));
}

export function scopes(text: string): string[] {
  const parsed = list(text);
  for (const scope of parsed)
    if (!SCOPE.test(scope))
      throw badOption('scopes', scope, 'scopes of letters, digits, ":", ".", "_" or "-"');
  return parsed;
}

export function contact(options: {
  contactName?: string;
  contactEmail?: string;
  contactPhone?: string;
}): ConsumerContact | undefined {
  if (options.contactEmail !== undefined && !EMAIL.test(options.contactEmail))
    throw badOption('contact-email', options.contactEmail, 'an e-mail address');
  const value: ConsumerContact = {
    ...(options.contactName === undefined ? {} : { name: options.contactName }),
    ...(options.contactEmail === undefined ? {} : { email: options.contactEmail }),
    ...(options.contactPhone === undefined ? {} : { phone: options.contactPhone }),
  };
  return Object.keys(value).length === 0 ? undefined : value;
}

/** `30d`, `12h`, `90m`, `45s` → milliseconds. */
export function durationMs(option: string, text: string): number {
  const match = DURATION.exec(text);
  if (match === null) throw badOption(option, text, 'a number and a unit (s, m, h, d), e.g. 30d');
  return Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number) * 1000;
}

/** `100/minute`, `10/second`, `500/30s`, `5000/1h` → a plan's rate limit. */
export function rateLimit(text: string): RateLimitSetting {
  const [count = '', window = ''] = text.split('/', 2);
  const requests = Number(count);
  const perSeconds =
    WINDOW_WORDS[window] ?? (DURATION.test(window) ? durationMs('rate-limit', window) / 1000 : Number.NaN);
  if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(perSeconds) || perSeconds < 1)
    throw badOption('rate-limit', text, 'requests per window, e.g. 100/minute, 10/second or 500/30s');
  return { requests, perSeconds };
}

/** `10000/day` → a plan's quota (periods: hour, day, month). */
export function quota(text: string): QuotaSetting {
  const [count = '', period = ''] = text.split('/', 2);
  const requests = Number(count);
  if (!Number.isInteger(requests) || requests < 1 || !['hour', 'day', 'month'].includes(period))
    throw badOption('quota', text, 'requests per period, e.g. 10000/day (periods: hour, day, month)');
  return { requests, period: period as QuotaSetting['period'] };
}

export const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();
