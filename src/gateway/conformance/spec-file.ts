import { ConfluxError } from '../../errors/index.ts';

/** One `specs/*.spec.yaml` file: keys to issue, then request → expected response cases. */
export interface ConformanceSpec {
  readonly file: string;
  readonly name: string;
  /** Keys issued before the cases run; `{{keys.<name>}}` in a request stands for the key. */
  readonly keys: Readonly<Record<string, { readonly consumer: string; readonly scopes: readonly string[] }>>;
  readonly cases: readonly ConformanceCase[];
}

export interface ConformanceCase {
  readonly name: string;
  /** Line of the case in its file (1 when unknown), so a failure points at it. */
  readonly line: number;
  readonly request: {
    readonly method: string;
    readonly path: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: unknown;
  };
  readonly expect: {
    readonly status: number;
    /** Header values: exact, or `/regex/`; `null` means the header must be absent. */
    readonly headers: Readonly<Record<string, string | null>>;
    /** A subset of the JSON body: objects match key by key, arrays element by element. */
    readonly body?: unknown;
  };
}

/**
 * Checks the parsed YAML of a spec file and says exactly where it is wrong. `lineOfCase` gives
 * the line each case starts on (the loader reads it from the YAML document).
 */
export function readSpec(
  file: string,
  data: unknown,
  lineOfCase: (index: number) => number = () => 1,
): ConformanceSpec {
  const spec = object(data, file);
  const cases = spec.cases;
  if (!Array.isArray(cases) || cases.length === 0) throw invalid(file, 'cases', 'a non-empty list of cases');
  const keys: Record<string, { consumer: string; scopes: string[] }> = {};
  for (const [name, value] of Object.entries(object(spec.keys ?? {}, `${file} keys`))) {
    const key = object(value, `${file} keys.${name}`);
    if (typeof key.consumer !== 'string') throw invalid(file, `keys.${name}.consumer`, 'a consumer name');
    keys[name] = { consumer: key.consumer, scopes: strings(key.scopes ?? [], file, `keys.${name}.scopes`) };
  }
  return {
    file,
    name: typeof spec.name === 'string' ? spec.name : file,
    keys,
    cases: cases.map((value, index) => readCase(file, index, value, lineOfCase(index))),
  };
}

function readCase(file: string, index: number, value: unknown, line: number): ConformanceCase {
  const at = `cases[${index}]`;
  const item = object(value, `${file} ${at}`);
  const request = object(item.request, `${file} ${at}.request`);
  const expect = object(item.expect, `${file} ${at}.expect`);
  if (typeof request.path !== 'string' || !request.path.startsWith('/'))
    throw invalid(file, `${at}.request.path`, 'a path starting with /');
  if (typeof expect.status !== 'number') throw invalid(file, `${at}.expect.status`, 'an HTTP status number');
  const headers = object(request.headers ?? {}, `${file} ${at}.request.headers`);
  const expected = object(expect.headers ?? {}, `${file} ${at}.expect.headers`);
  return {
    name:
      typeof item.name === 'string' ? item.name : `${at} ${String(request.method ?? 'GET')} ${request.path}`,
    line,
    request: {
      method: typeof request.method === 'string' ? request.method.toUpperCase() : 'GET',
      path: request.path,
      headers: Object.fromEntries(
        Object.entries(headers).map(([name, v]) => [name.toLowerCase(), String(v)]),
      ),
      ...(request.body === undefined ? {} : { body: request.body }),
    },
    expect: {
      status: expect.status,
      headers: Object.fromEntries(
        Object.entries(expected).map(([name, v]) => [name.toLowerCase(), v === null ? null : String(v)]),
      ),
      ...(expect.body === undefined ? {} : { body: expect.body }),
    },
  };
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfluxError(
      'GATEWAY_CONFORMANCE_FAILED',
      `${where}: expected a mapping, found ${JSON.stringify(value) ?? 'nothing'}.`,
    );
  }
  return value as Record<string, unknown>;
}

function strings(value: unknown, file: string, at: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw invalid(file, at, 'a list of strings');
  return value as string[];
}

function invalid(file: string, at: string, expected: string): ConfluxError {
  return new ConfluxError('GATEWAY_CONFORMANCE_FAILED', `${file} ${at}: expected ${expected}.`, {
    details: { file, at, expected },
  });
}
