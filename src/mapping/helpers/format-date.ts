import { type DateToken, MONTHS, parsePicture, type WallClock, WEEKDAYS, wallClock } from './date-picture.ts';
import { helperError, show } from './helper-error.ts';
import { toMillis } from './parse-date.ts';

const ISO_PICTURE = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function offset(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}${colon ? ':' : ''}${pad(abs % 60, 2)}`;
}

function render(token: DateToken, clock: WallClock): string {
  switch (token) {
    case 'yyyy':
      return pad(clock.year, 4);
    case 'yy':
      return pad(clock.year % 100, 2);
    case 'MMMM':
      return MONTHS[clock.month - 1] ?? '';
    case 'MMM':
      return (MONTHS[clock.month - 1] ?? '').slice(0, 3);
    case 'MM':
      return pad(clock.month, 2);
    case 'M':
      return String(clock.month);
    case 'dd':
      return pad(clock.day, 2);
    case 'd':
      return String(clock.day);
    case 'EEEE':
      return WEEKDAYS[clock.weekday] ?? '';
    case 'EEE':
      return (WEEKDAYS[clock.weekday] ?? '').slice(0, 3);
    case 'HH':
      return pad(clock.hour, 2);
    case 'H':
      return String(clock.hour);
    case 'hh':
      return pad(clock.hour % 12 === 0 ? 12 : clock.hour % 12, 2);
    case 'h':
      return String(clock.hour % 12 === 0 ? 12 : clock.hour % 12);
    case 'mm':
      return pad(clock.minute, 2);
    case 'ss':
      return pad(clock.second, 2);
    case 'SSS':
      return pad(clock.millisecond, 3);
    case 'a':
      return clock.hour < 12 ? 'AM' : 'PM';
    case 'XXX':
      return clock.offsetMinutes === 0 ? 'Z' : offset(clock.offsetMinutes, true);
    case 'Z':
      return offset(clock.offsetMinutes, false);
  }
}

/**
 * `$formatDate(value, picture, timezone?)`: renders an instant (ISO text, epoch ms or s, or
 * any form $parseDate reads without a picture) in `timezone` (IANA, default UTC).
 * `picture` is a pattern like `dd.MM.yyyy HH:mm` or `iso` for ISO 8601 with the zone's offset.
 */
export function formatDate(value: unknown, picture: unknown, timezone?: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof picture !== 'string' || picture === '') {
    throw helperError('formatDate', `expected a picture like yyyy-MM-dd or iso, got ${show(picture)}`);
  }
  if (timezone !== undefined && typeof timezone !== 'string') {
    throw helperError(
      'formatDate',
      `the time zone must be an IANA name like Europe/Paris, got ${show(timezone)}`,
    );
  }
  const millis = toMillis(value, undefined, 'UTC', 'formatDate');
  const clock = wallClock(millis, timezone ?? 'UTC', 'formatDate');
  return parsePicture(picture === 'iso' ? ISO_PICTURE : picture, 'formatDate')
    .map((part) => ('literal' in part ? part.literal : render(part.token, clock)))
    .join('');
}
