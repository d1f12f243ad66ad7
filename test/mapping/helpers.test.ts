import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clean } from '../../src/mapping/helpers/clean.ts';
import { convertUnit } from '../../src/mapping/helpers/convert-unit.ts';
import { defaultTo } from '../../src/mapping/helpers/default.ts';
import { formatCurrency } from '../../src/mapping/helpers/format-currency.ts';
import { formatDate } from '../../src/mapping/helpers/format-date.ts';
import { normalizeEnum } from '../../src/mapping/helpers/normalize-enum.ts';
import { parseDate } from '../../src/mapping/helpers/parse-date.ts';
import { toNumber } from '../../src/mapping/helpers/to-number.ts';

// 2024-03-05T13:30:00Z: a Tuesday, in winter time in both Europe and North America.
const MARCH_5 = 1709645400000;

describe('$formatDate', () => {
  test('formats epoch ms, epoch s and ISO text in a time zone', () => {
    assert.equal(formatDate(MARCH_5, 'dd.MM.yyyy HH:mm', 'Europe/Berlin'), '05.03.2024 14:30');
    assert.equal(formatDate(MARCH_5 / 1000, 'yyyy-MM-dd HH:mm:ss'), '2024-03-05 13:30:00');
    assert.equal(
      formatDate('2024-03-05T13:30:00Z', 'EEE, d MMM yyyy h:mm a', 'America/New_York'),
      'Tue, 5 Mar 2024 8:30 AM',
    );
    assert.equal(formatDate('2024-03-05T13:30:00Z', 'EEEE d MMMM yy'), 'Tuesday 5 March 24');
  });

  test('iso renders the zone offset, including DST and half-hour zones', () => {
    assert.equal(formatDate('2024-07-01T10:00:00Z', 'iso', 'Europe/Paris'), '2024-07-01T12:00:00.000+02:00');
    assert.equal(formatDate('2024-01-01T10:00:00Z', 'iso', 'Europe/Paris'), '2024-01-01T11:00:00.000+01:00');
    assert.equal(formatDate('2024-01-01T10:00:00Z', 'iso', 'Asia/Kolkata'), '2024-01-01T15:30:00.000+05:30');
    assert.equal(formatDate('2024-01-01T10:00:00Z', 'iso'), '2024-01-01T10:00:00.000Z');
    assert.equal(formatDate('2024-01-01T10:00:00Z', 'HHmm Z', 'America/Los_Angeles'), '0200 -0800');
  });

  test('every instant around DST changes and odd offsets shows the wall clock Intl shows', () => {
    const reference = (millis: number, timeZone: string) => {
      const parts = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }).formatToParts(new Date(millis));
      const part = (type: string) => parts.find((p) => p.type === type)?.value;
      return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
    };
    const cases: [string, string][] = [
      ['Europe/Berlin', '2024-03-31T00:00:00Z'], // spring forward at 01:00 UTC
      ['Europe/Berlin', '2024-10-27T00:00:00Z'], // fall back at 01:00 UTC
      ['America/New_York', '2024-11-03T05:00:00Z'],
      ['Australia/Lord_Howe', '2024-04-06T14:00:00Z'], // a half-hour DST shift
      ['Asia/Kathmandu', '2024-01-01T00:00:00Z'], // +05:45
      ['Europe/Amsterdam', '1900-01-01T00:00:00Z'], // local mean time, +00:19:32
    ];
    for (const [zone, from] of cases) {
      const start = Date.parse(from);
      // Every 7 minutes and 13 seconds over four hours, twice: remembered offsets the second time.
      for (let pass = 0; pass < 2; pass += 1) {
        for (let millis = start; millis < start + 4 * 3600_000; millis += 433_000) {
          assert.equal(
            formatDate(millis, 'yyyy-MM-dd HH:mm:ss', zone),
            reference(millis, zone),
            `${zone} ${millis}`,
          );
        }
      }
    }
  });

  test('quoted text is literal; unknown letters are an error', () => {
    assert.equal(formatDate(MARCH_5, "yyyy-MM-dd'T'HH:mm"), '2024-03-05T13:30');
    assert.equal(formatDate(MARCH_5, "'week of' d"), 'week of 5');
    assert.throws(() => formatDate(MARCH_5, 'YYYY-MM-dd'), /unknown letter "Y"/);
  });

  test('missing stays missing; bad zones and values are errors', () => {
    assert.equal(formatDate(undefined, 'yyyy'), undefined);
    assert.equal(formatDate(null, 'yyyy'), undefined);
    assert.throws(() => formatDate(MARCH_5, 'yyyy', 'Mars/Olympus'), /unknown time zone "Mars\/Olympus"/);
    assert.throws(() => formatDate('next tuesday', 'yyyy'), /cannot read "next tuesday" as a date/);
  });
});

describe('$parseDate', () => {
  test('reads ISO 8601 with and without offsets', () => {
    assert.equal(parseDate('2024-03-05T14:30:00+01:00'), '2024-03-05T13:30:00.000Z');
    assert.equal(parseDate('2024-03-05T13:30:00.123456Z'), '2024-03-05T13:30:00.123Z');
    assert.equal(parseDate('2024-03-05 13:30'), '2024-03-05T13:30:00.000Z');
    assert.equal(parseDate('2024-03-05'), '2024-03-05T00:00:00.000Z');
  });

  test('reads epoch seconds and milliseconds, as numbers and text', () => {
    assert.equal(parseDate(MARCH_5), '2024-03-05T13:30:00.000Z');
    assert.equal(parseDate(1709645400), '2024-03-05T13:30:00.000Z');
    assert.equal(parseDate('1709645400'), '2024-03-05T13:30:00.000Z');
  });

  test('reads common formats: compact, dotted European, RFC 2822', () => {
    assert.equal(parseDate('20240305'), '2024-03-05T00:00:00.000Z');
    assert.equal(parseDate('5.3.2024 14:30'), '2024-03-05T14:30:00.000Z');
    assert.equal(parseDate('Tue, 05 Mar 2024 14:30:00 +0100'), '2024-03-05T13:30:00.000Z');
    assert.equal(parseDate('Tue, 05 Mar 2024 13:30:00 GMT'), '2024-03-05T13:30:00.000Z');
  });

  test('a picture settles day-first versus month-first', () => {
    assert.equal(parseDate('05/03/2024', 'dd/MM/yyyy'), '2024-03-05T00:00:00.000Z');
    assert.equal(parseDate('03/05/2024', 'MM/dd/yyyy'), '2024-03-05T00:00:00.000Z');
    assert.equal(parseDate('3/5/2024 2:30 PM', 'M/d/yyyy h:mm a'), '2024-03-05T14:30:00.000Z');
    assert.throws(() => parseDate('05/03/2024'), /pass a picture like dd\/MM\/yyyy/);
  });

  test('local times are read in the given zone, across DST', () => {
    assert.equal(parseDate('2024-03-05 08:30', undefined, 'America/New_York'), '2024-03-05T13:30:00.000Z');
    assert.equal(parseDate('2024-07-05 08:30', undefined, 'America/New_York'), '2024-07-05T12:30:00.000Z');
    assert.equal(
      parseDate('31.10.2024 09:00', 'dd.MM.yyyy HH:mm', 'Europe/Berlin'),
      '2024-10-31T08:00:00.000Z',
    );
  });

  test('impossible dates and mismatched pictures are errors', () => {
    assert.throws(() => parseDate('2023-02-29'), /not a real date/);
    assert.throws(() => parseDate('2024-13-01', 'yyyy-MM-dd'), /not a real date/);
    assert.throws(() => parseDate('2024-03-05', 'dd/MM/yyyy'), /does not match picture "dd\/MM\/yyyy"/);
    assert.equal(parseDate(''), undefined);
  });
});

describe('$toNumber', () => {
  test('guesses separators without a locale', () => {
    assert.equal(toNumber('1.234,56'), 1234.56);
    assert.equal(toNumber('1,234.56'), 1234.56);
    assert.equal(toNumber('1,234'), 1234);
    assert.equal(toNumber('1,5'), 1.5);
    assert.equal(toNumber('12.5'), 12.5);
    assert.equal(toNumber('1.234.567'), 1234567);
    assert.equal(toNumber("1'234.50"), 1234.5);
    assert.equal(toNumber('1 234,56'), 1234.56);
  });

  test('uses the locale when given', () => {
    assert.equal(toNumber('1.234', 'de-DE'), 1234);
    assert.equal(toNumber('1.234', 'en-US'), 1.234);
    assert.equal(toNumber('1\u202F234,5', 'fr-FR'), 1234.5);
    assert.equal(toNumber('1’234.5', 'de-CH'), 1234.5);
  });

  test('signs, accounting negatives, currency affixes', () => {
    assert.equal(toNumber('-12.5'), -12.5);
    assert.equal(toNumber('12.5-'), -12.5);
    assert.equal(toNumber('(1,200.00)'), -1200);
    assert.equal(toNumber('€ 12,50'), 12.5);
    assert.equal(toNumber('12.50 USD'), 12.5);
    assert.equal(toNumber('1e3'), 1000);
    assert.equal(toNumber(42), 42);
  });

  test('blank is missing, garbage is an error', () => {
    assert.equal(toNumber('  '), undefined);
    assert.equal(toNumber(null), undefined);
    assert.throws(() => toNumber('12abc'), /"12abc" is not a number/);
    assert.throws(() => toNumber('1,2,3.4.5'), /not a number/);
  });
});

describe('$formatCurrency', () => {
  test('formats per locale with the currency symbol', () => {
    assert.equal(formatCurrency(1234.5, 'EUR', 'de-DE'), '1.234,50\u00A0€');
    assert.equal(formatCurrency(1234.5, 'USD'), '$1,234.50');
    assert.equal(formatCurrency(1234, 'JPY', 'ja-JP'), '￥1,234');
    assert.equal(formatCurrency('99.9', 'gbp', 'en-GB'), '£99.90');
  });

  test('rejects bad currency codes and amounts', () => {
    assert.throws(() => formatCurrency(1, 'EURO'), /ISO 4217/);
    assert.throws(() => formatCurrency('abc', 'EUR'), /expected a number/);
    assert.equal(formatCurrency(undefined, 'EUR'), undefined);
  });
});

describe('$convertUnit', () => {
  test('mass, length and volume', () => {
    assert.equal(convertUnit(5, 'lb', 'kg'), 2.26796185);
    assert.equal(convertUnit(1500, 'g', 'kg'), 1.5);
    assert.equal(convertUnit(1, 'in', 'cm'), 2.54);
    assert.equal(convertUnit(1, 'mi', 'km'), 1.609344);
    assert.equal(convertUnit(1, 'gal', 'l'), 3.785411784);
    assert.equal(convertUnit('2', 'Kilograms', 'g'), 2000);
  });

  test('temperature goes through kelvin', () => {
    assert.equal(convertUnit(100, 'C', 'F'), 212);
    assert.equal(convertUnit(-40, '°F', '°C'), -40);
    assert.equal(convertUnit(0, 'celsius', 'K'), 273.15);
    assert.equal(convertUnit(98.6, 'F', 'C'), 37);
  });

  test('unknown units and mixed dimensions are errors', () => {
    assert.throws(() => convertUnit(1, 'kg', 'parsec'), /unknown unit "parsec"/);
    assert.throws(() => convertUnit(1, 'kg', 'm'), /cannot convert mass \("kg"\) to length \("m"\)/);
    assert.equal(convertUnit(null, 'kg', 'g'), undefined);
  });
});

describe('$normalizeEnum', () => {
  const statuses = { paid: ['PAID', 'settled', 'complete'], pending: ['open', 'new'] };

  test('maps aliases to canonical values, ignoring case, spaces, dashes and underscores', () => {
    assert.equal(normalizeEnum('SETTLED', statuses), 'paid');
    assert.equal(normalizeEnum('paid', statuses), 'paid');
    assert.equal(normalizeEnum('New', statuses), 'pending');
    assert.equal(normalizeEnum('In Stock', { in_stock: ['available'] }), 'in_stock');
    assert.equal(normalizeEnum('A', { A: 'active', I: 'inactive' }), 'active');
    assert.equal(normalizeEnum(1, { 1: 'yes', 0: 'no' }), 'yes');
  });

  test('unknown values give the default, or an error listing what is accepted', () => {
    assert.equal(normalizeEnum('refunded', statuses, 'other'), 'other');
    assert.equal(normalizeEnum('refunded', statuses, null), null);
    assert.throws(
      () => normalizeEnum('refunded', statuses),
      /"refunded" is not a known value; expected one of: paid, pending/,
    );
    assert.throws(() => normalizeEnum('x', 'paid'), /must be an object/);
  });
});

describe('$default', () => {
  test('null, missing, blank and empty take the fallback; 0 and false do not', () => {
    assert.equal(defaultTo(undefined, 'x'), 'x');
    assert.equal(defaultTo(null, 'x'), 'x');
    assert.equal(defaultTo('  ', 'x'), 'x');
    assert.equal(defaultTo([], 'x'), 'x');
    assert.equal(defaultTo({}, 'x'), 'x');
    assert.equal(defaultTo(0, 'x'), 0);
    assert.equal(defaultTo(false, 'x'), false);
    assert.equal(defaultTo('a', 'x'), 'a');
  });
});

describe('$clean', () => {
  test('trims, collapses whitespace, strips control and invisible characters', () => {
    assert.equal(clean('  Ada \t\n  Lovelace  '), 'Ada Lovelace');
    assert.equal(clean('Acme\u0000 Corp\u0007'), 'Acme Corp');
    assert.equal(clean('\uFEFFSKU-1\u200B'), 'SKU-1');
    assert.equal(clean('a\u00A0\u00A0b'), 'a b');
    assert.equal(clean('line1\r\nline2'), 'line1 line2');
    assert.equal(clean(undefined), undefined);
    assert.throws(() => clean(12), /expected a string/);
  });
});
