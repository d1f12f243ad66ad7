import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { ConfluxError } from '../../errors/index.ts';
import { compileExpression } from '../../mapping/index.ts';
import type { StepFactory } from './types.ts';

const RETRYABLE_STATUSES = new Set([408, 425, 429]);
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

interface HttpInput {
  url?: string;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  body?: unknown;
}

function invalid(where: string, step: string, message: string): ConfluxError {
  return new ConfluxError('ENGINE_STEP_INPUT_INVALID', `${where}: ${message}`, {
    details: { step, retryable: false },
  });
}

function readBody(response: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES)
        response.destroy(new Error(`response exceeds ${MAX_RESPONSE_BYTES} bytes`));
      else chunks.push(chunk);
    });
    response.on('error', reject);
    response.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (/json/i.test(response.headers['content-type'] ?? '') && text !== '') {
        try {
          resolve(JSON.parse(text));
        } catch {
          resolve(text);
        }
      } else resolve(text);
    });
  });
}

/**
 * `http`: a raw HTTP request. SSRF-safe: the host is resolved once, every address is checked
 * against the private/loopback/link-local ranges (unless the project allows them), and the
 * connection is pinned to the checked address so a second DNS answer cannot redirect it.
 * Sends `Idempotency-Key: <runId>:<stepKey>` like `call`; answers of 400 or more fail the step.
 */
export const compileHttpStep: StepFactory<'http'> = (definition, { where }) => {
  const input =
    definition.input === undefined ? undefined : compileExpression(definition.input, `${where} input`);
  return {
    id: definition.id,
    type: 'http',
    async run(context, runtime) {
      const value = (input === undefined ? {} : ((await input.evaluate(context)) ?? {})) as HttpInput;
      if (typeof value !== 'object' || Array.isArray(value)) {
        throw invalid(where, definition.id, 'input must evaluate to { url?, query?, headers?, body? }');
      }
      let url: URL;
      try {
        url = new URL(value.url ?? definition.url);
      } catch {
        throw invalid(where, definition.id, `"${value.url ?? definition.url}" is not an absolute URL`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw invalid(where, definition.id, `only http and https URLs are allowed, got ${url.protocol}`);
      }
      for (const [name, v] of Object.entries(value.query ?? {})) url.searchParams.set(name, String(v));
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const all =
        isIP(host) === 0 ? await lookup(host, { all: true }) : [{ address: host, family: isIP(host) }];
      const address = all[0];
      const refused = all.find(
        (entry) => entry !== undefined && !runtime.services.allowAddress(entry.address, host),
      );
      if (address === undefined || refused !== undefined) {
        throw new ConfluxError(
          'ENGINE_HTTP_BLOCKED',
          `${where}: ${host} resolves to ${refused?.address ?? 'nothing'}, which is not allowed`,
          {
            details: {
              step: definition.id,
              host,
              retryable: false,
              expected: 'a public address, or one listed in engine.http.allow',
            },
          },
        );
      }
      const headers: Record<string, string> = {
        'idempotency-key': `${runtime.runId}:${runtime.stepKey}`,
        'x-request-id': runtime.correlationId,
        traceparent: runtime.traceparent,
      };
      for (const [name, v] of Object.entries(value.headers ?? {})) headers[name.toLowerCase()] = String(v);
      let payload: Buffer | undefined;
      if (value.body !== undefined) {
        payload = Buffer.from(typeof value.body === 'string' ? value.body : JSON.stringify(value.body));
        headers['content-type'] ??= typeof value.body === 'string' ? 'text/plain' : 'application/json';
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const pinned = address;
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = send(url, {
          method: definition.method,
          headers,
          signal: AbortSignal.any([
            runtime.signal,
            AbortSignal.timeout(definition.timeoutMs ?? DEFAULT_TIMEOUT_MS),
          ]),
          lookup: (_hostname, options, callback) => {
            if ((options as { all?: boolean }).all) callback(null, [pinned] as never);
            else callback(null, pinned.address, pinned.family);
          },
        });
        req.on('response', resolve);
        req.on('error', reject);
        req.end(payload);
      });
      const body = await readBody(response);
      const status = response.statusCode ?? 0;
      if (status >= 400) {
        throw new ConfluxError(
          'ENGINE_STEP_FAILED',
          `${where}: ${definition.method} ${url.origin}${url.pathname} answered HTTP ${status}`,
          {
            details: {
              step: definition.id,
              status,
              retryable: status >= 500 || RETRYABLE_STATUSES.has(status),
            },
          },
        );
      }
      return {
        input: { method: definition.method, url: url.toString(), body: value.body ?? null },
        output: { status, headers: response.headers, body },
      };
    },
  };
};
