import type { JsonSchema } from '../../project/index.ts';
import { type Random, randomUuid } from '../schema/random.ts';

/**
 * A fresh id for a created item, shaped like the ids the description shows: integers count up,
 * `format: uuid` gets a UUID, and an example such as `pay_8fJ2kq` keeps its prefix and
 * character classes (`pay_` + six letters/digits), so demo data looks like the real system's.
 */
export function newId(
  schema: JsonSchema | undefined,
  sample: unknown,
  taken: (id: string) => boolean,
  random: Random,
  counter: number,
): unknown {
  const declared = typeof schema === 'object' ? schema : {};
  const type = Array.isArray(declared.type) ? declared.type[0] : declared.type;
  if (type === 'integer' || type === 'number' || (type === undefined && typeof sample === 'number')) {
    let id = counter;
    while (taken(String(id))) id += 1;
    return id;
  }
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const id =
      declared.format === 'uuid'
        ? randomUuid(random)
        : shapedLike(typeof sample === 'string' ? sample : '', random, counter + attempt);
    if (!taken(id)) return id;
  }
  return randomUuid(random);
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();

function shapedLike(sample: string, random: Random, counter: number): string {
  if (sample === '') return `id_${counter}`;
  const prefix = /^[A-Za-z]+[_-]/.exec(sample)?.[0] ?? '';
  const rest = [...sample.slice(prefix.length)].map((char) => {
    if (/[0-9]/.test(char)) return String(Math.floor(random() * 10));
    if (/[a-z]/.test(char)) return LOWER[Math.floor(random() * 26)];
    if (/[A-Z]/.test(char)) return UPPER[Math.floor(random() * 26)];
    return char;
  });
  return prefix + rest.join('');
}
