/**
 * Differences between an expected and an actual JSON value, as one line per path, so a failing
 * flow test says exactly where it went wrong. `subset` lets expected objects name only the
 * keys they care about (call inputs); otherwise objects must match key for key.
 */
export function diffJson(
  expected: unknown,
  actual: unknown,
  options: { subset: boolean },
  path = '$',
): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${show(actual)}`];
    if (expected.length !== actual.length) {
      return [`${path}: expected ${expected.length} item(s), got ${actual.length}: ${show(actual)}`];
    }
    return expected.flatMap((item, index) => diffJson(item, actual[index], options, `${path}[${index}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${show(actual)}`];
    }
    const want = expected as Record<string, unknown>;
    const got = actual as Record<string, unknown>;
    const lines = Object.keys(want).flatMap((key) =>
      key in got
        ? diffJson(want[key], got[key], options, `${path}.${key}`)
        : [`${path}.${key}: missing (expected ${show(want[key])})`],
    );
    if (!options.subset) {
      for (const key of Object.keys(got))
        if (!(key in want)) lines.push(`${path}.${key}: unexpected ${show(got[key])}`);
    }
    return lines;
  }
  return Object.is(expected, actual) ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
