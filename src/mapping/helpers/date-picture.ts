/**
 * The date picture language shared by $formatDate and $parseDate, and the time-zone arithmetic
 * both need. Pictures use the familiar Unicode/Java letters (yyyy-MM-dd HH:mm:ss) rather than
 * JSONata's XPath pictures ([Y0001]-[M01]-[D01]) because that is what integration specs and
 * partner documents are written in; $fromMillis/$toMillis remain available for XPath pictures.
 */
import { helperError } from './helper-error.ts';

export type DateToken =
  | 'yyyy'
  | 'yy'
  | 'MMMM'
  | 'MMM'
  | 'MM'
  | 'M'
  | 'dd'
  | 'd'
  | 'EEEE'
  | 'EEE'
  | 'HH'
  | 'H'
  | 'hh'
  | 'h'
  | 'mm'
  | 'ss'
  | 'SSS'
  | 'a'
  | 'XXX'
  | 'Z';

export type PicturePart = { readonly token: DateToken } | { readonly literal: string };

// Longest first, so that `yyyy` is not read as two `yy`.
const TOKENS: readonly DateToken[] = [
  'yyyy',
  'MMMM',
  'EEEE',
  'MMM',
  'EEE',
  'SSS',
  'XXX',
  'yy',
  'MM',
  'dd',
  'HH',
  'hh',
  'mm',
  'ss',
  'M',
  'd',
  'H',
  'h',
  'a',
  'Z',
];

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pictureCache = new Map<string, readonly PicturePart[]>();

/** Splits a picture into tokens and literals; text in single quotes is literal, '' is a quote. */
export function parsePicture(picture: string, helper: string): readonly PicturePart[] {
  const cached = pictureCache.get(picture);
  if (cached !== undefined) return cached;
  const parts: PicturePart[] = [];
  let index = 0;
  while (index < picture.length) {
    const char = picture.charAt(index);
    if (char === "'") {
      const end = picture.indexOf("'", index + 1);
      if (end < 0) throw helperError(helper, `unterminated quote in picture "${picture}"`);
      parts.push({ literal: end === index + 1 ? "'" : picture.slice(index + 1, end) });
      index = end + 1;
      continue;
    }
    const token = TOKENS.find((candidate) => picture.startsWith(candidate, index));
    if (token !== undefined) {
      parts.push({ token });
      index += token.length;
      continue;
    }
    if (/[A-Za-z]/.test(char)) {
      throw helperError(
        helper,
        `unknown letter "${char}" at position ${index} of picture "${picture}"; expected yyyy, MM, dd, HH, mm, ss, SSS, XXX... (quote literal text: 'T')`,
      );
    }
    parts.push({ literal: char });
    index += 1;
  }
  pictureCache.set(picture, parts);
  return parts;
}

export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  readonly weekday: number;
  /** Minutes east of UTC at that instant in that zone. */
  readonly offsetMinutes: number;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(timeZone: string, helper: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw helperError(helper, `unknown time zone "${timeZone}"; expected an IANA name like Europe/Paris`);
    }
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/** How far `timeZone`'s wall clock is ahead of UTC at `millis`, read through Intl (the tz database). */
function intlOffsetMs(millis: number, timeZone: string, helper: string): number {
  const values: Record<string, number> = {};
  for (const part of zoneFormat(timeZone, helper).formatToParts(new Date(millis))) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  const millisecond = ((millis % 1000) + 1000) % 1000;
  const asUtc = Date.UTC(
    values.year ?? 1970,
    (values.month ?? 1) - 1,
    values.day ?? 1,
    values.hour ?? 0,
    values.minute ?? 0,
    values.second ?? 0,
    millisecond,
  );
  return asUtc - millis;
}

// Offsets are remembered per zone and quarter hour: Intl's formatToParts was 2 % of the
// engine's CPU for one $formatDate per run. A quarter hour whose two ends disagree contains a
// transition and is never remembered, so every instant still gets its exact offset.
const OFFSET_SPAN_MS = 15 * 60_000;
const MAX_REMEMBERED_OFFSETS = 10_000;
const rememberedOffsets = new Map<string, number>();

function offsetMs(millis: number, timeZone: string, helper: string): number {
  const span = Math.floor(millis / OFFSET_SPAN_MS);
  const key = `${timeZone} ${span}`;
  const known = rememberedOffsets.get(key);
  if (known !== undefined) return known;
  const start = intlOffsetMs(span * OFFSET_SPAN_MS, timeZone, helper);
  const end = intlOffsetMs((span + 1) * OFFSET_SPAN_MS - 1, timeZone, helper);
  if (start !== end) return intlOffsetMs(millis, timeZone, helper);
  if (rememberedOffsets.size >= MAX_REMEMBERED_OFFSETS) rememberedOffsets.clear();
  rememberedOffsets.set(key, start);
  return start;
}

/** The wall clock in `timeZone` at `millis`. */
export function wallClock(millis: number, timeZone: string, helper: string): WallClock {
  const offset = offsetMs(millis, timeZone, helper);
  const local = new Date(millis + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millisecond: local.getUTCMilliseconds(),
    weekday: local.getUTCDay(),
    offsetMinutes: Math.round(offset / 60000),
  };
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local time. Two passes
 * settle the offset across DST changes; a local time skipped by a spring-forward gap resolves
 * to the instant after the gap, as most systems do.
 */
export function fromWallClock(localAsUtc: number, timeZone: string, helper: string): number {
  let guess = localAsUtc - wallClock(localAsUtc, timeZone, helper).offsetMinutes * 60000;
  guess = localAsUtc - wallClock(guess, timeZone, helper).offsetMinutes * 60000;
  return guess;
}
