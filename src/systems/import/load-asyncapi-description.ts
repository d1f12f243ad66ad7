import { fromFile, Parser } from '@asyncapi/parser';
import { ConfluxError } from '../../errors/index.ts';
import type { JsonSchema } from '../../project/index.ts';
import { createIdAllocator, deriveOperationId } from '../description/operation-id.ts';
import { createDescriptionWarnings } from '../description/warnings.ts';
import type { Operation, SystemDescription } from '../types.ts';

const MAX_SCHEMA_DEPTH = 24;

/**
 * An AsyncAPI 2.x / 3.x document as a system. Operations keep their ids; from Conflux's side an
 * operation where the application sends (v2 `subscribe`, v3 `send`) is something to receive: a
 * SUBSCRIBE operation, usable as an event trigger; the others are PUBLISH operations, usable by
 * a publish step. Channel parameters become input properties; the message payload is the body.
 */
export async function loadAsyncApiDescription(file: string): Promise<SystemDescription> {
  const parser = new Parser();
  const { document, diagnostics } = await fromFile(parser, file).parse();
  if (document === undefined) {
    const errors = diagnostics.filter((item) => item.severity === 0).slice(0, 5);
    const summary = errors.map((item) => `${item.message} at /${item.path.join('/')}`).join('; ');
    throw new ConfluxError(
      'SYSTEM_DESCRIPTION_INVALID',
      `AsyncAPI document ${file} is not valid: ${summary}.`,
      {
        details: {
          file,
          problems: errors.map((item) => ({ pointer: `/${item.path.join('/')}`, message: item.message })),
        },
      },
    );
  }
  const warnings = createDescriptionWarnings();
  const allocate = createIdAllocator();
  const version = document.version();
  const protocols = [
    ...new Set(
      document
        .servers()
        .all()
        .map((server) => server.protocol()),
    ),
  ];
  const operations = new Map<string, Operation>();
  for (const operation of document.operations().all()) {
    const channel = operation.channels().all()[0];
    const address = channel?.address() ?? '';
    const action = operation.isSend() ? 'subscribe' : 'publish';
    // AsyncAPI 2 without operationId: the parser names the operation after its verb; derive from the address instead.
    const declared = operation.id();
    const wanted =
      declared === undefined || declared === operation.action()
        ? deriveOperationId(action, address)
        : declared;
    const id = allocate(wanted);
    const pointer = version.startsWith('2')
      ? `/channels/${escapePointer(address)}/${operation.action()}`
      : `/operations/${escapePointer(operation.id() ?? '')}`;
    if (id !== wanted)
      warnings.add(`${pointer}/operationId`, `operation id "${wanted}" is used twice; this one is "${id}"`);
    const messages = operation.messages().all();
    const payloads = messages
      .map((message) => message.payload()?.json())
      .filter((payload) => payload !== undefined)
      .map((payload) => plainSchema(payload, `${pointer}/message/payload`, warnings.add));
    const payloadSchema: JsonSchema | undefined =
      payloads.length === 0
        ? undefined
        : payloads.length === 1
          ? (payloads[0] as JsonSchema)
          : { oneOf: payloads };
    const parameters = (channel?.parameters().all() ?? []).map((parameter) => ({
      name: parameter.id(),
      in: 'path' as const,
      required: true,
      schema: (parameter.hasSchema()
        ? plainSchema(parameter.schema()?.json(), `${pointer}/parameters`, warnings.add)
        : { type: 'string' }) as JsonSchema,
    }));
    const properties: Record<string, unknown> = Object.fromEntries(parameters.map((p) => [p.name, p.schema]));
    const required = parameters.map((p) => p.name);
    if (action === 'publish') {
      properties.body = payloadSchema ?? {};
      required.push('body');
    }
    const summary = operation.summary();
    operations.set(id, {
      id,
      method: action === 'publish' ? 'PUBLISH' : 'SUBSCRIBE',
      path: address,
      ...(summary === undefined ? {} : { summary }),
      parameters,
      ...(action === 'publish'
        ? {
            requestBody: {
              required: true,
              contentType: 'application/json',
              ...(payloadSchema === undefined ? {} : { schema: payloadSchema }),
            },
          }
        : {}),
      responses:
        action === 'subscribe' && payloadSchema !== undefined
          ? [{ status: 'message', contentType: 'application/json', schema: payloadSchema }]
          : [],
      inputSchema: { type: 'object', properties, required, additionalProperties: false },
      channel: {
        address,
        action,
        protocols,
        messages: messages.map((message) => message.id()),
        ...(payloadSchema === undefined ? {} : { payloadSchema }),
      },
    });
  }
  for (const item of diagnostics.filter((d) => d.severity === 1).slice(0, 20)) {
    warnings.add(`/${item.path.join('/')}`, item.message);
  }
  return {
    kind: 'asyncapi',
    title: document.info().title(),
    version: document.info().version(),
    specVersion: version,
    servers: document
      .servers()
      .all()
      .map((server) => serverUrl(server)),
    operations,
    warnings: warnings.list(),
  };
}

/** The parser's dereferenced schema as plain JSON: its own `x-parser-*` marks dropped, cycles cut. */
function plainSchema(
  value: unknown,
  pointer: string,
  warn: (pointer: string, message: string) => void,
): unknown {
  const seen = new Set<object>();
  const copy = (item: unknown, depth: number): unknown => {
    if (typeof item !== 'object' || item === null) return item;
    if (seen.has(item) || depth > MAX_SCHEMA_DEPTH) {
      warn(pointer, 'circular or very deep schema cut to an open schema');
      return {};
    }
    seen.add(item);
    const out = Array.isArray(item)
      ? item.map((entry) => copy(entry, depth + 1))
      : Object.fromEntries(
          Object.entries(item)
            .filter(([key]) => !key.startsWith('x-parser-'))
            .map(([key, entry]) => [key, copy(entry, depth + 1)]),
        );
    seen.delete(item);
    return out;
  };
  return copy(value, 0);
}

/** A server's URL as written; templated v2 URLs (`{request_url}`) are not valid URLs and stay text. */
function serverUrl(server: { url(): string; protocol(): string }): string {
  try {
    return server.url();
  } catch {
    return `${server.protocol()}://(templated)`;
  }
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
