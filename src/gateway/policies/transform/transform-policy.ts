import { ConfluxError } from '../../../errors/index.ts';
import { type CompiledExpression, compileExpression } from '../../../mapping/index.ts';
import type { MessageTransform, NameEdits, TransformSettings } from '../../../project/index.ts';
import type { TargetHandler } from '../../config.ts';
import type { RequestContext } from '../../context.ts';
import { sendProblem } from '../../respond.ts';
import { bufferBody, isJson, replaceBody } from '../body.ts';
import { type CapturedResponse, captureResponse } from '../capture-response.ts';
import { jsonToXml, xmlToJson } from './xml.ts';

export interface TransformOptions {
  readonly settings: TransformSettings;
  /** For mapping errors: where the expression was written. */
  readonly where: string;
  readonly maxBodyBytes: number;
}

interface CompiledMessage {
  readonly set: readonly [string, string][];
  readonly remove: readonly string[];
  readonly body: CompiledExpression | undefined;
  readonly convert: MessageTransform['convert'];
  readonly xmlRoot: string;
}

function compileMessage(message: MessageTransform | undefined, where: string): CompiledMessage | undefined {
  if (message === undefined) return undefined;
  return {
    set: Object.entries(message.headers?.set ?? {}).map(
      ([name, value]) => [name.toLowerCase(), value] as [string, string],
    ),
    remove: (message.headers?.remove ?? []).map((name) => name.toLowerCase()),
    body: message.body === undefined ? undefined : compileExpression(message.body, where),
    convert: message.convert,
    xmlRoot: message.xmlRoot ?? 'root',
  };
}

/** Body in → body out: xml-to-json, then the mapping, then json-to-xml. Undefined = unchanged. */
async function rewriteBody(
  message: CompiledMessage,
  body: Buffer,
  contentType: string | undefined,
  side: string,
): Promise<{ body: Buffer; contentType: string } | undefined> {
  if (message.body === undefined && message.convert === undefined) return undefined;
  if (body.length === 0) return undefined;
  const text = body.toString('utf8');
  let value: unknown;
  if (message.convert === 'xml-to-json') value = xmlToJson(text, side);
  else if (isJson(contentType) || message.convert === 'json-to-xml' || message.body !== undefined) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new ConfluxError(
        'GATEWAY_BODY_INVALID',
        `The ${side} body is not JSON, but its transform maps JSON.`,
        {
          details: { expected: 'a JSON body', found: contentType ?? 'no content-type' },
        },
      );
    }
  }
  if (message.body !== undefined) value = await message.body.evaluate(value);
  if (message.convert === 'json-to-xml')
    return {
      body: Buffer.from(jsonToXml(value, message.xmlRoot)),
      contentType: 'application/xml; charset=utf-8',
    };
  return { body: Buffer.from(JSON.stringify(value ?? null)), contentType: 'application/json; charset=utf-8' };
}

function editQuery(query: string, edits: NameEdits): string {
  const params = new URLSearchParams(query);
  for (const name of edits.remove ?? []) params.delete(name);
  for (const [name, value] of Object.entries(edits.set ?? {})) params.set(name, value);
  return params.toString();
}

/**
 * Request and response transforms, wrapped around the target: headers (set/remove), query
 * (set/remove), the body through a JSONata mapping, and JSON↔XML. Expressions compile when the
 * configuration is built. Response bodies are rewritten only for 2xx answers, so an upstream's
 * error passes through as it came; header edits apply to every answer.
 */
export function createTransformWrapper(options: TransformOptions): (next: TargetHandler) => TargetHandler {
  const request = compileMessage(options.settings.request, `${options.where} transform.request.body`);
  const response = compileMessage(options.settings.response, `${options.where} transform.response.body`);
  const queryEdits = options.settings.request?.query;

  async function before(ctx: RequestContext): Promise<void> {
    if (request === undefined) return;
    const headers = ctx.req.headers;
    for (const name of request.remove) delete headers[name];
    for (const [name, value] of request.set) headers[name] = value;
    if (queryEdits !== undefined) ctx.query = editQuery(ctx.query, queryEdits);
    if (request.body === undefined && request.convert === undefined) return;
    const body = await bufferBody(ctx, options.maxBodyBytes);
    const rewritten = await rewriteBody(request, body, headers['content-type'], 'request');
    if (rewritten !== undefined) replaceBody(ctx, rewritten.body, rewritten.contentType);
  }

  async function after(captured: CapturedResponse): Promise<CapturedResponse> {
    if (response === undefined) return captured;
    const headers = { ...captured.headers };
    for (const name of response.remove) delete headers[name];
    for (const [name, value] of response.set) headers[name] = value;
    if (captured.status < 200 || captured.status >= 300) return { ...captured, headers };
    const contentType = headers['content-type'];
    const rewritten = await rewriteBody(
      response,
      captured.body,
      Array.isArray(contentType) ? contentType[0] : contentType,
      'response',
    );
    if (rewritten === undefined) return { ...captured, headers };
    return {
      status: captured.status,
      headers: { ...headers, 'content-type': rewritten.contentType },
      body: rewritten.body,
    };
  }

  return (next) => {
    if (response === undefined)
      return async (ctx) => {
        await before(ctx);
        await next(ctx);
      };
    return async (ctx) => {
      await before(ctx);
      const restore = captureResponse(ctx.res, (captured, send) => {
        after(captured).then(send, (error: unknown) => {
          // The target is waiting for the response to finish: answer the failure here.
          restore();
          ctx.rejectedBy = 'transform';
          const failure =
            error instanceof ConfluxError
              ? error
              : new ConfluxError('GATEWAY_TRANSFORM_FAILED', 'The response transform failed.', {
                  cause: error,
                });
          sendProblem(ctx.res, failure, ctx.correlationId, { policy: 'transform' });
        });
      });
      try {
        await next(ctx);
      } catch (error) {
        restore();
        throw error;
      }
    };
  };
}
