import { ConfluxError } from '../../errors/index.ts';
import type { ThreatProtectionSettings } from '../../project/index.ts';
import type { Policy } from '../config.ts';
import type { RequestContext } from '../context.ts';
import { bodyTooLarge, bufferBody, bufferedJson, hasRequestBody, isJson } from './body.ts';

export const threatDefaults = {
  maxBodyBytes: 1_048_576,
  maxHeaderBytes: 16_384,
  maxUrlLength: 4_096,
  maxJsonDepth: 32,
  maxJsonKeys: 10_000,
} as const;

/** Keys that reach Object.prototype or a constructor when a body is merged naively downstream. */
const POLLUTION_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface CompiledRule {
  readonly in: 'path' | 'header' | 'body';
  readonly name: string | undefined;
  readonly pattern: RegExp;
  readonly source: string;
}

/**
 * Size limits, JSON shape limits, prototype-pollution keys and deny rules, checked before any
 * other policy reads the request. The body is read only when a body check needs it (a JSON
 * body, body deny rules, or a chunked body whose size is not declared).
 */
export function createThreatProtectionPolicy(settings: ThreatProtectionSettings): Policy {
  const limits = { ...threatDefaults, ...settings };
  const rules: CompiledRule[] = (settings.denyRules ?? []).map((rule) => ({
    in: rule.in,
    name: rule.name?.toLowerCase(),
    pattern: new RegExp(rule.pattern),
    source: rule.pattern,
  }));
  const bodyRules = rules.filter((rule) => rule.in === 'body');
  const headRules = rules.filter((rule) => rule.in !== 'body');

  function checkHead(ctx: RequestContext): void {
    const url = ctx.req.url ?? '';
    if (url.length > limits.maxUrlLength) {
      throw new ConfluxError(
        'GATEWAY_URI_TOO_LONG',
        `The request target has ${url.length} characters; the limit is ${limits.maxUrlLength}.`,
        {
          details: { limit: limits.maxUrlLength, found: url.length },
        },
      );
    }
    const raw = ctx.req.rawHeaders;
    let headerBytes = 0;
    for (const part of raw) headerBytes += part.length;
    if (headerBytes > limits.maxHeaderBytes) {
      throw new ConfluxError(
        'GATEWAY_HEADERS_TOO_LARGE',
        `The request headers have ${headerBytes} bytes; the limit is ${limits.maxHeaderBytes}.`,
        {
          details: { limit: limits.maxHeaderBytes, found: headerBytes },
        },
      );
    }
    const declared = Number(ctx.req.headers['content-length'] ?? 0);
    if (declared > limits.maxBodyBytes) throw bodyTooLarge(limits.maxBodyBytes);
    for (const rule of headRules) {
      const subject = rule.in === 'path' ? ctx.path : headerText(ctx, rule.name ?? '');
      if (subject !== undefined && rule.pattern.test(subject)) throw denied(rule);
    }
  }

  async function checkBody(ctx: RequestContext): Promise<void> {
    const body = await bufferBody(ctx, limits.maxBodyBytes);
    if (bodyRules.length > 0) {
      const text = body.toString('utf8');
      for (const rule of bodyRules) if (rule.pattern.test(text)) throw denied(rule);
    }
    if (isJson(ctx.req.headers['content-type']))
      checkJson(bufferedJson(ctx), limits.maxJsonDepth, limits.maxJsonKeys);
  }

  return {
    name: 'threat-protection',
    apply(ctx) {
      checkHead(ctx);
      const headers = ctx.req.headers;
      const needsBody =
        hasRequestBody(ctx) &&
        (bodyRules.length > 0 || isJson(headers['content-type']) || headers['content-length'] === undefined);
      // Synchronous when there is no body to inspect: no promise on the common GET path.
      return needsBody ? checkBody(ctx) : undefined;
    },
  };
}

function headerText(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function denied(rule: CompiledRule): ConfluxError {
  const where = rule.in === 'header' ? `header ${rule.name}` : rule.in;
  return new ConfluxError(
    'GATEWAY_THREAT_DETECTED',
    `The request ${where} matches the deny rule /${rule.source}/.`,
    {
      details: { in: rule.in, name: rule.name, rule: rule.source },
    },
  );
}

/** Walks the parsed document iteratively (no recursion a deep document could overflow). */
export function checkJson(document: unknown, maxDepth: number, maxKeys: number): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: document, depth: 1, path: '' }];
  let keys = 0;
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop() as { value: unknown; depth: number; path: string };
    if (value === null || typeof value !== 'object') continue;
    if (depth > maxDepth) {
      throw new ConfluxError(
        'GATEWAY_THREAT_DETECTED',
        `The JSON body nests deeper than ${maxDepth} levels (at body${path}).`,
        {
          details: { limit: maxDepth, at: `body${path}` },
        },
      );
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++)
        stack.push({ value: value[index], depth: depth + 1, path: `${path}/${index}` });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (POLLUTION_KEYS.has(key)) {
        throw new ConfluxError(
          'GATEWAY_THREAT_DETECTED',
          `The JSON body has the forbidden key "${key}" at body${path}.`,
          {
            details: { key, at: `body${path}` },
          },
        );
      }
      keys++;
      if (keys > maxKeys) {
        throw new ConfluxError('GATEWAY_THREAT_DETECTED', `The JSON body has more than ${maxKeys} keys.`, {
          details: { limit: maxKeys },
        });
      }
      stack.push({
        value: (value as Record<string, unknown>)[key],
        depth: depth + 1,
        path: `${path}/${key}`,
      });
    }
  }
}
