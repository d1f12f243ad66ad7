/**
 * The changelog between two OpenAPI documents (dereferenced: no `$ref` left): operations
 * added, removed and changed, and which changes break existing callers. The rules, per
 * operation (`METHOD /path`, parameter names ignored):
 *
 *  - a removed operation, or a removed success status, breaks;
 *  - a new required parameter or request body, or an optional one that became required, breaks;
 *  - in what callers send (parameters, request body): a type that accepts less (narrowed type,
 *    removed enum value, new required property) breaks;
 *  - in what callers get (success responses): a removed property, or a type that yields more
 *    (widened type, added enum value), breaks;
 *  - anything else that differs is listed as a non-breaking change.
 */
export interface ApiDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly { readonly operation: string; readonly changes: readonly string[] }[];
  readonly breaking: readonly string[];
}

type Json = Record<string, unknown>;
type Direction = 'request' | 'response';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function diffOpenApi(before: unknown, after: unknown): ApiDiff {
  const old = operations(before);
  const next = operations(after);
  const added = [...next.keys()].filter((key) => !old.has(key)).sort();
  const removed = [...old.keys()].filter((key) => !next.has(key)).sort();
  const breaking = removed.map((key) => `${key}: operation removed`);
  const changed: { operation: string; changes: string[] }[] = [];
  for (const [key, oldOperation] of old) {
    const newOperation = next.get(key);
    if (newOperation === undefined) continue;
    const notes: { text: string; breaking: boolean }[] = [];
    compareOperation(oldOperation, newOperation, notes);
    if (notes.length === 0) continue;
    changed.push({
      operation: key,
      changes: notes.map((note) => `${note.breaking ? 'BREAKING ' : ''}${note.text}`),
    });
    for (const note of notes) if (note.breaking) breaking.push(`${key}: ${note.text}`);
  }
  return { added, removed, changed, breaking };
}

function operations(document: unknown): Map<string, Json> {
  const out = new Map<string, Json>();
  const paths = (asObject(document).paths ?? {}) as Record<string, Json>;
  for (const [path, item] of Object.entries(paths)) {
    const shape = path.replace(/\{[^}]+\}/g, '{}');
    const shared = (item.parameters ?? []) as Json[];
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const own = asObject(operation);
      out.set(`${method.toUpperCase()} ${shape}`, {
        ...own,
        parameters: [...shared, ...((own.parameters ?? []) as Json[])],
      });
    }
  }
  return out;
}

function compareOperation(old: Json, next: Json, notes: { text: string; breaking: boolean }[]): void {
  // Path parameters are matched by position (their names may change freely), others by name.
  const params = (operation: Json) => {
    let position = 0;
    return new Map(
      ((operation.parameters ?? []) as Json[]).map((p) => [
        p.in === 'path' ? `path:${position++}` : `${String(p.in)}:${String(p.name)}`,
        p,
      ]),
    );
  };
  const oldParams = params(old);
  const newParams = params(next);
  for (const [id, param] of newParams) {
    const before = oldParams.get(id);
    const label = `${String(param.in)} parameter ${String(param.name)}`;
    if (before === undefined) {
      notes.push({
        text: `${label} added${param.required === true ? ' (required)' : ''}`,
        breaking: param.required === true,
      });
      continue;
    }
    if (param.required === true && before.required !== true)
      notes.push({ text: `${label} became required`, breaking: true });
    compareSchema(asObject(before.schema), asObject(param.schema), label, 'request', notes);
  }
  for (const [id, param] of oldParams) {
    if (!newParams.has(id))
      notes.push({ text: `${String(param.in)} parameter ${String(param.name)} removed`, breaking: false });
  }
  const oldBody = asObject(old.requestBody);
  const newBody = asObject(next.requestBody);
  if (newBody.required === true && oldBody.required !== true)
    notes.push({ text: 'request body became required', breaking: true });
  compareSchema(firstSchema(oldBody), firstSchema(newBody), 'request body', 'request', notes);
  const oldResponses = asObject(old.responses);
  const newResponses = asObject(next.responses);
  for (const status of Object.keys(oldResponses)) {
    if (!status.startsWith('2')) continue;
    const after = newResponses[status];
    if (after === undefined) {
      notes.push({ text: `response ${status} removed`, breaking: true });
      continue;
    }
    compareSchema(
      firstSchema(asObject(oldResponses[status])),
      firstSchema(asObject(after)),
      `response ${status}`,
      'response',
      notes,
    );
  }
  for (const status of Object.keys(newResponses)) {
    if (oldResponses[status] === undefined) notes.push({ text: `response ${status} added`, breaking: false });
  }
  if (next.deprecated === true && old.deprecated !== true)
    notes.push({ text: 'deprecated', breaking: false });
}

function compareSchema(
  old: Json,
  next: Json,
  at: string,
  direction: Direction,
  notes: { text: string; breaking: boolean }[],
): void {
  const oldTypes = types(old);
  const newTypes = types(next);
  if (oldTypes !== undefined && newTypes !== undefined) {
    const lost = oldTypes.filter(
      (type) => !newTypes.includes(type) && !(type === 'integer' && newTypes.includes('number')),
    );
    const gained = newTypes.filter(
      (type) => !oldTypes.includes(type) && !(type === 'integer' && oldTypes.includes('number')),
    );
    if (lost.length > 0 || gained.length > 0) {
      const narrowed = lost.length > 0;
      notes.push({
        text: `${at}: type ${oldTypes.join('|')} → ${newTypes.join('|')}`,
        breaking: direction === 'request' ? narrowed : gained.length > 0 || narrowed,
      });
    }
  }
  if (Array.isArray(old.enum) || Array.isArray(next.enum)) {
    const oldEnum = (old.enum ?? []) as unknown[];
    const newEnum = (next.enum ?? []) as unknown[];
    const removed = oldEnum.filter((value) => !newEnum.includes(value));
    const added = newEnum.filter((value) => !oldEnum.includes(value));
    if (
      direction === 'request' &&
      (removed.length > 0 || (old.enum === undefined && next.enum !== undefined))
    ) {
      notes.push({
        text: `${at}: accepts fewer values (${removed.map(String).join(', ') || 'now an enum'})`,
        breaking: true,
      });
    } else if (direction === 'response' && added.length > 0 && old.enum !== undefined) {
      notes.push({ text: `${at}: may return new values (${added.map(String).join(', ')})`, breaking: true });
    }
  }
  const oldProps = asObject(old.properties);
  const newProps = asObject(next.properties);
  const oldRequired = new Set((old.required ?? []) as string[]);
  for (const name of (next.required ?? []) as string[]) {
    if (direction === 'request' && !oldRequired.has(name))
      notes.push({ text: `${at}: property ${name} became required`, breaking: true });
  }
  for (const [name, schema] of Object.entries(oldProps)) {
    const after = newProps[name];
    if (after === undefined) {
      notes.push({ text: `${at}: property ${name} removed`, breaking: direction === 'response' });
      continue;
    }
    compareSchema(asObject(schema), asObject(after), `${at}.${name}`, direction, notes);
  }
  for (const name of Object.keys(newProps)) {
    if (
      oldProps[name] === undefined &&
      !(direction === 'request' && (next.required as string[] | undefined)?.includes(name))
    ) {
      notes.push({ text: `${at}: property ${name} added`, breaking: false });
    }
  }
  if (old.items !== undefined && next.items !== undefined)
    compareSchema(asObject(old.items), asObject(next.items), `${at}[]`, direction, notes);
}

function types(schema: Json): string[] | undefined {
  if (schema.type === undefined) return undefined;
  return (Array.isArray(schema.type) ? schema.type : [schema.type]).map(String).sort();
}

function firstSchema(holder: Json): Json {
  const content = asObject(holder.content);
  const json = Object.entries(content).find(([type]) => /json/i.test(type)) ?? Object.entries(content)[0];
  return asObject(asObject(json?.[1]).schema);
}

function asObject(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}
