/** JSON pointer and JSONata path helpers shared by the Arazzo converters. */

/** Appends a key to a JSON pointer, escaping `~` and `/` (RFC 6901). */
export function appendPointer(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** The reference tokens of a JSON pointer (`/a~1b/0` → `['a/b', '0']`); `''` is the whole document. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new Error(`"${pointer}" is not a JSON pointer (it must start with "/")`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~'));
}

const RESERVED = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

/** A field name as a JSONata path step: plain when it is an identifier, else in backquotes. */
export function fieldStep(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  return `\`${name.replaceAll('`', '')}\``;
}

/**
 * JSON pointer tokens as a JSONata path suffix: names become `.name`, digit-only tokens array
 * indexes `[n]` (pointers do not say which one a digit means; Arazzo documents use them for
 * arrays).
 */
export function pointerPath(tokens: readonly string[]): string {
  return tokens
    .map((token) => (/^(0|[1-9][0-9]*)$/.test(token) ? `[${token}]` : `.${fieldStep(token)}`))
    .join('');
}
