import { helperError, show } from './helper-error.ts';

interface Separators {
  readonly group: string;
  readonly decimal: string;
}

// Building an Intl.NumberFormat costs far more than the parse itself, and a mapping names the
// same few locales on every run. Bounded, since the locale may come from the data.
const SEPARATORS_CACHE_SIZE = 64;
const separatorsByLocale = new Map<string, Separators>();

function separatorsOf(locale: string): Separators {
  const cached = separatorsByLocale.get(locale);
  if (cached !== undefined) return cached;
  let parts: Intl.NumberFormatPart[];
  try {
    parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  } catch {
    throw helperError('toNumber', `unknown locale ${show(locale)}; expected a BCP 47 tag like de-DE`);
  }
  const separators = {
    group: parts.find((part) => part.type === 'group')?.value ?? ',',
    decimal: parts.find((part) => part.type === 'decimal')?.value ?? '.',
  };
  if (separatorsByLocale.size >= SEPARATORS_CACHE_SIZE) separatorsByLocale.clear();
  separatorsByLocale.set(locale, separators);
  return separators;
}

/**
 * Without a locale the separators are guessed from the text: with both `.` and `,` the last
 * one is the decimal mark; a lone `,` followed by exactly three digits groups thousands
 * (`1,234`), otherwise it is a decimal comma (`1,5`); a lone `.` is a decimal point; a mark
 * that repeats groups thousands (`1.234.567`).
 */
function guessSeparators(text: string): Separators {
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    return lastDot > lastComma ? { group: ',', decimal: '.' } : { group: '.', decimal: ',' };
  }
  const mark = lastComma >= 0 ? ',' : '.';
  const count = text.split(mark).length - 1;
  if (count > 1) return { group: mark, decimal: mark === ',' ? '.' : ',' };
  if (mark === ',' && /^\d{1,3},\d{3}$/.test(text)) return { group: ',', decimal: '.' };
  return { group: mark === ',' ? '.' : ',', decimal: mark };
}

// Spaces of every kind and apostrophes group digits in fr-FR, de-CH, en-IN and friends.
const SPACES = /[\s\u00A0\u202F\u2009'’]/g;
// Currency symbols and codes around the number (`€ 12,50`, `12.50 USD`).
const AFFIXES = /^(?:\p{Sc}|[A-Z]{3})+|(?:\p{Sc}|[A-Z]{3})+$/gu;

/**
 * `$toNumber(value, locale?)`: reads numbers as people and ERPs write them: `1.234,56`,
 * `1,234.56`, `1 234,56`, `1'234.56`, `(12.00)` for negatives, `-5`, `5-`, currency
 * symbols. Missing or blank → undefined; anything else unreadable is an error.
 */
export function toNumber(value: unknown, locale?: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value !== 'string')
    throw helperError('toNumber', `expected a string or number, got ${show(value)}`);
  if (locale !== undefined && typeof locale !== 'string') {
    throw helperError('toNumber', `the locale must be a string like de-DE, got ${show(locale)}`);
  }
  let text = value.trim().replace(SPACES, '').replace(AFFIXES, '');
  if (text === '') return undefined;
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1);
  }
  if (text.startsWith('-') || text.endsWith('-')) {
    negative = !negative;
    text = text.startsWith('-') ? text.slice(1) : text.slice(0, -1);
  } else if (text.startsWith('+')) {
    text = text.slice(1);
  }
  const { group, decimal } = locale === undefined ? guessSeparators(text) : separatorsOf(locale);
  const plain = text.split(group).join('').replace(decimal, '.');
  if (!/^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(plain)) {
    throw helperError(
      'toNumber',
      `${show(value)} is not a number${locale === undefined ? '' : ` in locale ${locale}`}`,
    );
  }
  const number = Number(plain);
  return negative ? -number : number;
}
