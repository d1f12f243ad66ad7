import type { ErrorObject } from 'ajv/dist/2020.js';
import type { ProjectProblem, SourceLocation } from './model.ts';
import { closest, didYouMean } from './suggest.ts';
import type { PathSegment, YamlFile } from './yaml-file.ts';

type SchemaNode = { readonly [keyword: string]: unknown };

/**
 * Turns ajv's errors into problems a person can act on: located at the YAML node (the key for
 * an unknown property, the enclosing map for a missing one), saying what was found and what
 * was expected. The branch errors of "exactly one of these properties" choices are folded into
 * one problem instead of one per branch.
 */
export function schemaProblems(errors: readonly ErrorObject[], yaml: YamlFile): ProjectProblem[] {
  const problems: ProjectProblem[] = [];
  const seen = new Set<string>();
  // `sytem:` is both an unknown property and a missing `system`; the suggestion says it all.
  const suggested = new Set(
    errors.flatMap((error) => {
      if (error.keyword !== 'additionalProperties') return [];
      const allowed = Object.keys(((error.parentSchema ?? {}) as SchemaNode).properties ?? {});
      const suggestion = closest(
        String((error.params as { additionalProperty: unknown }).additionalProperty),
        allowed,
      );
      return suggestion === undefined ? [] : [`${error.instancePath}/${suggestion}`];
    }),
  );
  const kept = errors.filter(
    (error) =>
      !isChoiceBranch(error) &&
      // propertyNames repeats, vaguely, the error of its inner keyword, which names the key.
      error.keyword !== 'propertyNames' &&
      !(
        error.keyword === 'required' &&
        suggested.has(`${error.instancePath}/${String(error.params.missingProperty)}`)
      ),
  );
  // All properties missing from one map make one problem, not one each.
  const missing = new Map<string, string[]>();
  for (const error of kept) {
    if (error.keyword !== 'required') continue;
    const names = missing.get(error.instancePath) ?? [];
    names.push(String(error.params.missingProperty));
    missing.set(error.instancePath, names);
  }
  for (const error of kept) {
    const path = toPath(error.instancePath, yaml.value);
    const problem =
      error.keyword === 'required'
        ? describeMissing(missing.get(error.instancePath) ?? [], error.data, path, yaml)
        : describe(error, path, yaml);
    const key = `${problem.line}:${problem.column}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function describe(error: ErrorObject, path: PathSegment[], yaml: YamlFile): ProjectProblem {
  const subject = path.length === 0 ? '' : `${renderPath(path)}: `;
  const at = (
    location: SourceLocation,
    message: string,
    found?: string,
    expected?: string,
  ): ProjectProblem => ({
    ...location,
    rule: 'schema',
    message: subject + message,
    ...(found === undefined ? {} : { found }),
    ...(expected === undefined ? {} : { expected }),
  });
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  const params = error.params as Record<string, unknown>;
  const data = error.data;
  const here = yaml.valueAt(path);

  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const allowed = Object.keys((parent.properties ?? {}) as object).filter((key) => key !== '$schema');
      return at(
        yaml.keyAt([...path, name]),
        `unknown property "${name}"${didYouMean(name, allowed)}`,
        `"${name}"`,
        `one of ${allowed.join(', ')}`,
      );
    }
    case 'dependentRequired':
      return at(
        here,
        `"${String(params.property)}" needs "${String(params.missingProperty)}" beside it`,
        presentKeys(data),
        `"${String(params.missingProperty)}"`,
      );
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      return at(
        here,
        `unknown value${didYouMean(String(data), allowed)}`,
        render(data),
        `one of ${allowed.join(', ')}`,
      );
    }
    case 'const':
      return at(here, 'unexpected value', render(data), render(params.allowedValue));
    case 'discriminator':
      return describeTag(params, parent, path, yaml, at);
    case 'type':
      return at(
        here,
        'wrong type',
        data !== null && typeof data === 'object' ? render(data) : `${render(data)} (${typeName(data)})`,
        typeLabel(String(params.type)),
      );
    case 'pattern':
    case 'format': {
      const expected =
        typeof parent['x-expected'] === 'string'
          ? parent['x-expected']
          : error.keyword === 'format'
            ? `a valid ${String(params.format)}`
            : `a string matching /${String(params.pattern)}/`;
      const { propertyName } = error as { propertyName?: string };
      if (propertyName !== undefined) {
        return at(
          yaml.keyAt([...path, propertyName]),
          `invalid key "${propertyName}"`,
          `"${propertyName}"`,
          expected,
        );
      }
      return at(here, 'not in the expected form', render(data), expected);
    }
    case 'minimum':
    case 'exclusiveMinimum':
      return at(here, 'too small', render(data), `at least ${String(params.limit)}`);
    case 'maximum':
    case 'exclusiveMaximum':
      return at(here, 'too large', render(data), `at most ${String(params.limit)}`);
    case 'minLength':
      return at(here, 'too short', render(data), `at least ${String(params.limit)} character(s)`);
    case 'maxLength':
      return at(here, 'too long', render(data), `at most ${String(params.limit)} characters`);
    case 'minItems':
      return at(here, 'too few entries', render(data), `at least ${String(params.limit)}`);
    case 'minProperties':
      return at(here, 'too few entries', render(data), `at least ${String(params.limit)}`);
    case 'oneOf':
      return describeChoice(error, here, at);
    default:
      return at(here, error.message ?? `fails ${error.keyword}`, render(data));
  }
}

function describeMissing(
  names: readonly string[],
  data: unknown,
  path: PathSegment[],
  yaml: YamlFile,
): ProjectProblem {
  const quoted = names.map((name) => `"${name}"`).join(', ');
  return {
    ...yaml.valueAt(path),
    rule: 'schema',
    message: `${path.length === 0 ? '' : `${renderPath(path)}: `}missing required propert${names.length === 1 ? 'y' : 'ies'} ${quoted}`,
    found: presentKeys(data),
    expected: quoted,
  };
}

type At = (location: SourceLocation, message: string, found?: string, expected?: string) => ProjectProblem;

/** A discriminated union (steps, triggers, auth) whose `type` is missing or unknown. */
function describeTag(
  params: Record<string, unknown>,
  parent: SchemaNode,
  path: PathSegment[],
  yaml: YamlFile,
  at: At,
): ProjectProblem {
  const tag = String(params.tag);
  const branches = (parent.oneOf ?? []) as SchemaNode[];
  const allowed = branches.map((branch) => {
    const properties = (branch.properties ?? {}) as Record<string, SchemaNode>;
    return String(properties[tag]?.const ?? '?');
  });
  const expected = `one of ${allowed.join(', ')}`;
  if (params.tagValue === undefined)
    return at(yaml.valueAt(path), `missing required property "${tag}"`, undefined, expected);
  const value = params.tagValue;
  const subject = `${renderPath([...path, tag])}: `;
  const location = yaml.valueAt([...path, tag]);
  return {
    ...location,
    rule: 'schema',
    message: `${subject}unknown ${tag}${typeof value === 'string' ? didYouMean(value, allowed) : ''}`,
    found: render(value),
    expected,
  };
}

/** `oneOf` over bare `required` lists means "exactly one of these properties". */
function describeChoice(error: ErrorObject, here: SourceLocation, at: At): ProjectProblem {
  const branches = error.schema as SchemaNode[];
  if (!branches.every(isBareRequired)) return at(here, 'does not match any allowed form', render(error.data));
  const options = branches.map((branch) => (branch.required as string[]).join(' + '));
  const names = new Set(branches.flatMap((branch) => branch.required as string[]));
  const present =
    error.data !== null && typeof error.data === 'object'
      ? Object.keys(error.data).filter((key) => names.has(key))
      : [];
  const none = (error.params as { passingSchemas: unknown }).passingSchemas === null;
  return at(
    here,
    none ? `needs one of ${options.join(', ')}` : `has more than one of ${options.join(', ')}`,
    present.length === 0 ? 'none of them' : present.join(', '),
    `exactly one of ${options.join(', ')}`,
  );
}

function isChoiceBranch(error: ErrorObject): boolean {
  return (
    error.keyword === 'required' &&
    /\/oneOf\/\d+\/required$/.test(error.schemaPath) &&
    isBareRequired(error.parentSchema)
  );
}

function isBareRequired(schema: unknown): boolean {
  return schema !== null && typeof schema === 'object' && Object.keys(schema).join() === 'required';
}

/** `/steps/1/type` → ['steps', 1, 'type'], numbers only where the data holds a list. */
function toPath(pointer: string, value: unknown): PathSegment[] {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let current = value;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      const index = Number(segment);
      path.push(index);
      current = current[index];
    } else {
      path.push(segment);
      current =
        current !== null && typeof current === 'object'
          ? (current as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return path;
}

/** ['steps', 1, 'type'] → `steps[1].type`. */
export function renderPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number'
        ? `[${segment}]`
        : /^[A-Za-z_$][\w$-]*$/.test(segment)
          ? `${index === 0 ? '' : '.'}${segment}`
          : `["${segment}"]`,
    )
    .join('');
}

/** A short rendering of a found value. */
export function render(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a map';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function presentKeys(data: unknown): string {
  if (data === null || typeof data !== 'object') return render(data);
  const keys = Object.keys(data);
  return keys.length === 0 ? 'an empty map' : `a map with ${keys.join(', ')}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

function typeLabel(type: string): string {
  const labels: Record<string, string> = {
    object: 'a map',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
  };
  return type
    .split(',')
    .map((name) => labels[name] ?? name)
    .join(' or ');
}
