import { helperError, show } from './helper-error.ts';

/** `$formatCurrency(amount, currency, locale?)`: `1234.5, 'EUR', 'de-DE'` → `1.234,50 €`. */
export function formatCurrency(amount: unknown, currency: unknown, locale?: unknown): string | undefined {
  if (amount === undefined || amount === null) return undefined;
  const number = typeof amount === 'string' && amount.trim() !== '' ? Number(amount) : amount;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw helperError('formatCurrency', `expected a number, got ${show(amount)}`);
  }
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) {
    throw helperError('formatCurrency', `expected an ISO 4217 currency code like EUR, got ${show(currency)}`);
  }
  if (locale !== undefined && typeof locale !== 'string') {
    throw helperError('formatCurrency', `the locale must be a string like de-DE, got ${show(locale)}`);
  }
  try {
    return new Intl.NumberFormat(locale ?? 'en-US', {
      style: 'currency',
      currency: currency.toUpperCase(),
    }).format(number);
  } catch {
    throw helperError('formatCurrency', `unknown locale or currency (${show(locale)}, ${show(currency)})`);
  }
}
