import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id derived from `parts`: the same step of the same run always names the same
 * event or child run, so repeating the step after a crash cannot create a second one.
 */
export function stableId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
