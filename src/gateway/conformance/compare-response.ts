import type { IncomingHttpHeaders } from 'node:http';
import type { ConformanceCase } from './spec-file.ts';

/** The differences between an answer and what a case expects, one line each (empty: it passes). */
export function compareResponse(
  expect: ConformanceCase['expect'],
  actual: { status: number; headers: IncomingHttpHeaders; text: string },
): string[] {
  const diffs: string[] = [];
  if (actual.status !== expect.status) diffs.push(`status: expected ${expect.status}, got ${actual.status}`);
  for (const [name, wanted] of Object.entries(expect.headers)) {
    const raw = actual.headers[name];
    const got = Array.isArray(raw) ? raw.join(', ') : raw;
    if (wanted === null) {
      if (got !== undefined) diffs.push(`header ${name}: expected absent, got ${JSON.stringify(got)}`);
      continue;
    }
    const regex = /^\/(.*)\/([a-z]*)$/.exec(wanted);
    const ok =
      got !== undefined && (regex === null ? got === wanted : new RegExp(regex[1] ?? '', regex[2]).test(got));
    if (!ok)
      diffs.push(
        `header ${name}: expected ${wanted}, got ${got === undefined ? 'nothing' : JSON.stringify(got)}`,
      );
  }
  if (expect.body !== undefined) {
    let body: unknown;
    try {
      body = actual.text === '' ? undefined : JSON.parse(actual.text);
    } catch {
      diffs.push(`body: expected JSON, got ${JSON.stringify(actual.text.slice(0, 120))}`);
      return diffs;
    }
    subset(expect.body, body, 'body', diffs);
  }
  return diffs;
}

function subset(expected: unknown, actual: unknown, at: string, diffs: string[]): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      diffs.push(`${at}: expected an array of ${expected.length}, got ${JSON.stringify(actual)}`);
      return;
    }
    for (const [index, item] of expected.entries()) subset(item, actual[index], `${at}[${index}]`, diffs);
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      diffs.push(`${at}: expected an object, got ${JSON.stringify(actual)}`);
      return;
    }
    for (const [key, value] of Object.entries(expected))
      subset(value, (actual as Record<string, unknown>)[key], `${at}.${key}`, diffs);
    return;
  }
  // `null` in a spec also means "absent": JSON bodies drop undefined fields.
  if (expected === null && actual === undefined) return;
  if (expected !== actual)
    diffs.push(`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
