import { helperError, show } from './helper-error.ts';

type Dimension = 'mass' | 'length' | 'volume' | 'temperature';

interface Unit {
  readonly dimension: Dimension;
  /** Factor to the dimension's base unit (kg, m, l); temperatures convert through kelvin instead. */
  readonly factor: number;
}

const LINEAR: Record<string, Unit> = {};
function define(dimension: Dimension, factor: number, ...names: string[]): void {
  for (const name of names) LINEAR[name] = { dimension, factor };
}
define('mass', 1e-6, 'mg', 'milligram', 'milligrams');
define('mass', 1e-3, 'g', 'gram', 'grams');
define('mass', 1, 'kg', 'kilogram', 'kilograms');
define('mass', 1000, 't', 'tonne', 'tonnes');
define('mass', 0.028349523125, 'oz', 'ounce', 'ounces');
define('mass', 0.45359237, 'lb', 'lbs', 'pound', 'pounds');
define('mass', 6.35029318, 'st', 'stone');
define('length', 1e-3, 'mm', 'millimeter', 'millimetre', 'millimeters', 'millimetres');
define('length', 1e-2, 'cm', 'centimeter', 'centimetre', 'centimeters', 'centimetres');
define('length', 1, 'm', 'meter', 'metre', 'meters', 'metres');
define('length', 1000, 'km', 'kilometer', 'kilometre', 'kilometers', 'kilometres');
define('length', 0.0254, 'in', 'inch', 'inches');
define('length', 0.3048, 'ft', 'foot', 'feet');
define('length', 0.9144, 'yd', 'yard', 'yards');
define('length', 1609.344, 'mi', 'mile', 'miles');
define('volume', 1e-3, 'ml', 'milliliter', 'millilitre', 'milliliters', 'millilitres');
define('volume', 1, 'l', 'liter', 'litre', 'liters', 'litres');
define('volume', 1000, 'm3', 'cubic meter', 'cubic metre');
define('volume', 3.785411784, 'gal', 'gallon', 'gallons');
define('volume', 0.0295735295625, 'floz', 'fl oz', 'fluid ounce', 'fluid ounces');

const TEMPERATURE: Record<string, { toKelvin(v: number): number; fromKelvin(k: number): number }> = {};
function defineTemperature(
  toKelvin: (v: number) => number,
  fromKelvin: (k: number) => number,
  ...names: string[]
) {
  for (const name of names) TEMPERATURE[name] = { toKelvin, fromKelvin };
}
defineTemperature(
  (v) => v + 273.15,
  (k) => k - 273.15,
  'c',
  '°c',
  'celsius',
);
defineTemperature(
  (v) => ((v - 32) * 5) / 9 + 273.15,
  (k) => ((k - 273.15) * 9) / 5 + 32,
  'f',
  '°f',
  'fahrenheit',
);
defineTemperature(
  (v) => v,
  (k) => k,
  'k',
  'kelvin',
);

function unitName(unit: unknown): string {
  if (typeof unit !== 'string')
    throw helperError('convertUnit', `units are strings like kg or °F, got ${show(unit)}`);
  return unit.trim().toLowerCase();
}

function dimensionOf(name: string): Dimension | undefined {
  return TEMPERATURE[name] !== undefined ? 'temperature' : LINEAR[name]?.dimension;
}

/**
 * `$convertUnit(value, from, to)` for mass, length, volume and temperature, e.g.
 * `$convertUnit(5, 'lb', 'kg')`. Results are rounded to 12 significant digits so that binary
 * floating point noise (2.5399999999999996) does not leak into the systems we feed.
 */
export function convertUnit(value: unknown, from: unknown, to: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw helperError('convertUnit', `expected a number, got ${show(value)}`);
  }
  const source = unitName(from);
  const target = unitName(to);
  const sourceDimension = dimensionOf(source);
  const targetDimension = dimensionOf(target);
  if (sourceDimension === undefined) throw helperError('convertUnit', `unknown unit ${show(from)}`);
  if (targetDimension === undefined) throw helperError('convertUnit', `unknown unit ${show(to)}`);
  if (sourceDimension !== targetDimension) {
    throw helperError(
      'convertUnit',
      `cannot convert ${sourceDimension} (${show(from)}) to ${targetDimension} (${show(to)})`,
    );
  }
  const result =
    sourceDimension === 'temperature'
      ? (TEMPERATURE[target]?.fromKelvin(TEMPERATURE[source]?.toKelvin(number) ?? Number.NaN) ?? Number.NaN)
      : (number * (LINEAR[source]?.factor ?? Number.NaN)) / (LINEAR[target]?.factor ?? Number.NaN);
  return Number(result.toPrecision(12));
}
