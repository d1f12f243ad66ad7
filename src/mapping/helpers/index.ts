import { clean } from './clean.ts';
import { convertUnit } from './convert-unit.ts';
import { defaultTo } from './default.ts';
import { formatCurrency } from './format-currency.ts';
import { formatDate } from './format-date.ts';
import { normalizeEnum } from './normalize-enum.ts';
import { parseDate } from './parse-date.ts';
import { toNumber } from './to-number.ts';

/**
 * The helper functions every expression gets, by the name expressions call them with. Adding one
 * is one file and one line here. They validate their own arguments (clearer messages than
 * JSONata signatures give) and pass missing values through as missing.
 */
export const helpers: Readonly<Record<string, (...args: never[]) => unknown>> = {
  formatDate,
  parseDate,
  toNumber,
  formatCurrency,
  convertUnit,
  normalizeEnum,
  default: defaultTo,
  clean,
};
