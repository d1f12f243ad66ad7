import { type DateToken, fromWallClock, MONTHS, parsePicture } from './date-picture.ts';
import { helperError, show } from './helper-error.ts';

const TOKEN_PATTERNS: Record<DateToken, string> = {
  yyyy: '(\\d{4})',
  yy: '(\\d{2})',
  MMMM: '([A-Za-z]+)',
  MMM: '([A-Za-z]{3})',
  MM: '(\\d{2})',
  M: '(\\d{1,2})',
  dd: '(\\d{2})',
  d: '(\\d{1,2})',
  EEEE: '[A-Za-z]+',
  EEE: '[A-Za-z]{3}',
  HH: '(\\d{2})',
  H: '(\\d{1,2})',
  hh: '(\\d{2})',
  h: '(\\d{1,2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
  SSS: '(\\d{1,9})',
  a: '([AaPp][Mm])',
  XXX: '(Z|z|GMT|UTC|UT|[+-]\\d{2}:?\\d{2})',
  Z: '(Z|z|GMT|UTC|UT|[+-]\\d{2}:?\\d{2})',
};

/**
 * Forms read without a picture, tried in order. Slash dates with the day or month first
 * (01/02/2024) are deliberately absent: whether that is January or February depends on the
 * sender, so it needs an explicit picture rather than a guess that differs row by row.
 */
const KNOWN_PICTURES = [
  "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  "yyyy-MM-dd'T'HH:mm:ssXXX",
  "yyyy-MM-dd'T'HH:mmXXX",
  "yyyy-MM-dd'T'HH:mm:ss.SSS",
  "yyyy-MM-dd'T'HH:mm:ss",
  "yyyy-MM-dd'T'HH:mm",
  'yyyy-MM-dd HH:mm:ss.SSSXXX',
  'yyyy-MM-dd HH:mm:ssXXX',
  'yyyy-MM-dd HH:mm:ss.SSS',
  'yyyy-MM-dd HH:mm:ss',
  'yyyy-MM-dd HH:mm',
  'yyyy-MM-dd',
  'yyyyMMdd',
  'yyyy/MM/dd HH:mm:ss',
  'yyyy/MM/dd',
  'd.M.yyyy HH:mm:ss',
  'd.M.yyyy HH:mm',
  'd.M.yyyy',
  'EEE, d MMM yyyy HH:mm:ss Z',
  'd MMM yyyy HH:mm:ss Z',
  'd MMM yyyy',
];

const matchers = new Map<string, { regex: RegExp; tokens: DateToken[] }>();

function matcherFor(picture: string, helper: string): { regex: RegExp; tokens: DateToken[] } {
  let matcher = matchers.get(picture);
  if (matcher === undefined) {
    const tokens: DateToken[] = [];
    let source = '';
    for (const part of parsePicture(picture, helper)) {
      if ('literal' in part) {
        source += part.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
      } else {
        source += TOKEN_PATTERNS[part.token];
        if (part.token !== 'EEE' && part.token !== 'EEEE') tokens.push(part.token);
      }
    }
    matcher = { regex: new RegExp(`^${source}$`), tokens };
    matchers.set(picture, matcher);
  }
  return matcher;
}

function monthFromName(name: string): number | undefined {
  const lower = name.toLowerCase();
  const index = MONTHS.findIndex(
    (month) => month.toLowerCase() === lower || month.slice(0, 3).toLowerCase() === lower,
  );
  return index < 0 ? undefined : index + 1;
}

function offsetMinutes(text: string): number {
  if (/^(Z|GMT|UTC|UT)$/i.test(text)) return 0;
  const digits = text.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return digits.startsWith('-') ? -minutes : minutes;
}

/** Reads `text` with `picture`; undefined when it does not match, an error when it matches but is impossible. */
function readWithPicture(
  text: string,
  picture: string,
  timezone: string,
  helper: string,
): number | undefined {
  const { regex, tokens } = matcherFor(picture, helper);
  const match = regex.exec(text);
  if (match === null) return undefined;
  const fields = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
  let pm: boolean | undefined;
  let offset: number | undefined;
  tokens.forEach((token, index) => {
    const value = match[index + 1] ?? '';
    if (token === 'yyyy') fields.year = Number(value);
    else if (token === 'yy') fields.year = 2000 + Number(value) - (Number(value) >= 70 ? 100 : 0);
    else if (token === 'MMMM' || token === 'MMM') fields.month = monthFromName(value) ?? 0;
    else if (token === 'MM' || token === 'M') fields.month = Number(value);
    else if (token === 'dd' || token === 'd') fields.day = Number(value);
    else if (token === 'HH' || token === 'H' || token === 'hh' || token === 'h') fields.hour = Number(value);
    else if (token === 'mm') fields.minute = Number(value);
    else if (token === 'ss') fields.second = Number(value);
    else if (token === 'SSS') fields.millisecond = Math.floor(Number(`0.${value}`) * 1000);
    else if (token === 'a') pm = value.toLowerCase() === 'pm';
    else offset = offsetMinutes(value);
  });
  if (pm !== undefined) {
    if (fields.hour < 1 || fields.hour > 12)
      throw helperError(helper, `hour ${fields.hour} is not valid with AM/PM in ${show(text)}`);
    fields.hour = (fields.hour % 12) + (pm ? 12 : 0);
  }
  const local = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour,
    fields.minute,
    fields.second,
    fields.millisecond,
  );
  const check = new Date(local);
  if (
    fields.month < 1 ||
    check.getUTCMonth() !== fields.month - 1 ||
    check.getUTCDate() !== fields.day ||
    fields.hour > 23 ||
    fields.minute > 59 ||
    fields.second > 59
  ) {
    throw helperError(helper, `${show(text)} is not a real date or time (read with picture "${picture}")`);
  }
  return offset === undefined ? fromWallClock(local, timezone, helper) : local - offset * 60000;
}

/** Epoch numbers below 1e11 are seconds (until the year 5138), larger ones milliseconds. */
function fromEpoch(value: number): number {
  return Math.abs(value) < 1e11 ? value * 1000 : value;
}

/** Any accepted date form → epoch milliseconds. Times without an offset are read in `timezone`. */
export function toMillis(
  value: unknown,
  picture: string | undefined,
  timezone: string,
  helper: string,
): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw helperError(helper, `${show(value)} is not a date`);
    return fromEpoch(value);
  }
  if (typeof value !== 'string')
    throw helperError(helper, `expected a date string or epoch number, got ${show(value)}`);
  const text = value.trim();
  if (picture !== undefined) {
    const millis = readWithPicture(text, picture, timezone, helper);
    if (millis === undefined) throw helperError(helper, `${show(value)} does not match picture "${picture}"`);
    return millis;
  }
  if (/^-?\d{9,13}$/.test(text)) return fromEpoch(Number(text));
  for (const known of KNOWN_PICTURES) {
    const millis = readWithPicture(text, known, timezone, helper);
    if (millis !== undefined) return millis;
  }
  throw helperError(
    helper,
    `cannot read ${show(value)} as a date; expected ISO 8601, epoch seconds or milliseconds, yyyyMMdd, dd.MM.yyyy or an RFC 2822 date, or pass a picture like dd/MM/yyyy`,
  );
}

/**
 * `$parseDate(value, picture?, timezone?)`: reads a date in any of the forms integrations meet
 * and answers ISO 8601 in UTC (`2024-03-05T13:30:00.000Z`). Local times without an offset are
 * read in `timezone` (IANA, default UTC).
 */
export function parseDate(value: unknown, picture?: unknown, timezone?: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (picture !== undefined && picture !== null && typeof picture !== 'string') {
    throw helperError('parseDate', `the picture must be a string like dd/MM/yyyy, got ${show(picture)}`);
  }
  if (timezone !== undefined && typeof timezone !== 'string') {
    throw helperError(
      'parseDate',
      `the time zone must be an IANA name like Europe/Paris, got ${show(timezone)}`,
    );
  }
  const millis = toMillis(value, picture ?? undefined, timezone ?? 'UTC', 'parseDate');
  return new Date(millis).toISOString();
}
