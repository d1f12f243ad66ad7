import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { BrokerClients } from '../../adapters/index.ts';
import { ConfluxError } from '../../errors/index.ts';
import type { Logger, Metrics } from '../../observability/index.ts';
import type { SystemDefinition } from '../../project/index.ts';
import type { ConnectionHealthTracker } from '../auth/connection-health.ts';
import type { TokenManager } from '../auth/token-manager.ts';
import { createMemoryBudgetBackend } from '../budget/memory-backend.ts';
import { quotaHeaders } from '../budget/pause-after.ts';
import { createUpstreamBudgets, type UpstreamBudgets } from '../budget/upstream-budgets.ts';
import { detectDrift } from '../drift/detect-drift.ts';
import type { DriftRecorder } from '../drift/drift-recorder.ts';
import { pages } from '../pagination/paginate.ts';
import { paginationOf } from '../pagination/pagination-of.ts';
import type { Operation, SystemCaller, SystemDescription, SystemResponse } from '../types.ts';
import { attemptSignal } from './attempt-signal.ts';
import { buildFollowRequest, buildHttpRequest, type HttpRequest } from './build-http-request.ts';
import { type Attempt, failure, parseBody } from './call-failure.ts';
import { publishToChannel, subscribeToChannel } from './channel-exchange.ts';
import { credentialsRefused } from './credentials-refused.ts';
import { createInputChecker } from './input-validation.ts';
import { type Credentials, resolveCredentials } from './resolve-credentials.ts';
import { isRetryableStatus, retryDelay } from './retry-delay.ts';
import { buildSoapRequest, readSoapAnswer } from './soap-exchange.ts';

export interface SystemCallerOptions {
  readonly systems: ReadonlyMap<string, SystemDefinition>;
  readonly descriptions: ReadonlyMap<string, SystemDescription>;
  /** Resolved base URL per system, mocks included. */
  readonly baseUrls: ReadonlyMap<string, string>;
  resolveSecret(name: string): Promise<string>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** OAuth systems: their tokens (single-flight, shared through the vault). */
  readonly tokens?: TokenManager;
  /** Where 401s mark a connection invalid. */
  readonly health?: ConnectionHealthTracker;
  /** AsyncAPI systems: broker connections for publish operations and channel triggers. */
  readonly brokers?: BrokerClients;
  /** Where drift found by `responseValidation: warn|fail` is counted. */
  readonly drift?: DriftRecorder;
  /** Each system's rate and concurrency budget, shared with gateway routes; default: this process only. */
  readonly budgets?: UpstreamBudgets;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/**
 * Calls system operations by name over keep-alive undici pools (one per origin): validates the
 * input against the operation, authenticates, times out, and retries what is safe to retry
 * (network errors, timeouts, 408/429/5xx; only idempotent methods or calls with an idempotency
 * key) with backoff or the system's Retry-After. Answers 2xx; anything else throws.
 */
export function createSystemCaller(options: SystemCallerOptions): SystemCaller & {
  subscribe: NonNullable<SystemCaller['subscribe']>;
  pages: NonNullable<SystemCaller['pages']>;
  close(): Promise<void>;
} {
  const pools = new Map<string, Pool>();
  const checkInput = createInputChecker();
  const budgets =
    options.budgets ??
    createUpstreamBudgets({
      backend: createMemoryBudgetBackend(),
      metrics: options.metrics,
      logger: options.logger,
    });

  // One pool per origin, and per client certificate for mTLS: a rotated certificate gets a new pool.
  const poolFor = (origin: string, tls: Credentials['tls']): Pool => {
    const key =
      tls === undefined
        ? origin
        : `${origin}#${createHash('sha256').update(tls.cert).update(tls.key).digest('hex')}`;
    let pool = pools.get(key);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: 64,
        keepAliveTimeout: 10_000,
        ...(tls === undefined
          ? {}
          : { connect: { cert: tls.cert, key: tls.key, ...(tls.ca === undefined ? {} : { ca: tls.ca }) } }),
      });
      pools.set(key, pool);
    }
    return pool;
  };

  async function attempt(
    request: HttpRequest,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    tls?: Credentials['tls'],
  ): Promise<Attempt> {
    const deadline = attemptSignal(timeoutMs, signal);
    try {
      const answer = await poolFor(request.origin, tls).request({
        path: request.path,
        method: request.method as 'GET',
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: deadline.signal,
      });
      const text = await answer.body.text();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const response = { status: answer.statusCode, headers, body: parseBody(text, headers['content-type']) };
      return { kind: 'answer', response, retryAfter: headers['retry-after'] };
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason ?? error;
      if (deadline.timedOut()) return { kind: 'timeout' };
      return { kind: 'network', error };
    } finally {
      deadline.dispose();
    }
  }

  /** `responseValidation`: drift against the documented answer is counted (warn) and rejected (fail). */
  function checkAnswer(
    mode: 'off' | 'warn' | 'fail',
    operation: Operation,
    response: SystemResponse,
    facts: { system: string; operation: string; where: string },
  ): void {
    if (mode === 'off' || typeof response.body !== 'object' || response.body === null) return;
    const documented =
      operation.responses.find((answer) => answer.status === String(response.status)) ??
      operation.responses.find((answer) => answer.status === '2XX' || answer.status === 'default');
    if (documented?.schema === undefined) return;
    const findings = detectDrift(documented.schema, response.body);
    options.drift?.record(facts.system, facts.operation, findings);
    if (findings.length === 0) return;
    options.logger.warn(
      {
        system: facts.system,
        operation: facts.operation,
        drift: findings.slice(0, 5).map((f) => `${f.kind} ${f.pointer}`),
      },
      'answer drifted from the description',
    );
    if (mode === 'fail' && findings.some((finding) => finding.kind !== 'new')) {
      throw new ConfluxError(
        'SYSTEM_RESPONSE_INVALID',
        `${facts.where} answered a body that does not match its description: ${findings
          .slice(0, 3)
          .map((f) => `${f.kind} ${f.pointer}`)
          .join(', ')}.`,
        {
          details: { system: facts.system, operation: facts.operation, drift: findings, retryable: false },
        },
      );
    }
  }

  function lookup(systemName: string, operationId: string) {
    const system = options.systems.get(systemName);
    const description = options.descriptions.get(systemName);
    const baseUrl = options.baseUrls.get(systemName);
    if (system === undefined || description === undefined || baseUrl === undefined) {
      throw new ConfluxError('SYSTEM_NOT_FOUND', `No system named "${systemName}" is configured.`, {
        details: { system: systemName },
      });
    }
    const operation: Operation | undefined = description.operations.get(operationId);
    if (operation === undefined) {
      const known = [...description.operations.keys()].slice(0, 10).join(', ');
      throw new ConfluxError(
        'SYSTEM_OPERATION_NOT_FOUND',
        `System "${systemName}" has no operation "${operationId}"; known: ${known}.`,
        {
          details: { system: systemName, operation: operationId },
        },
      );
    }
    return { system, baseUrl, operation };
  }

  return {
    subscribe(systemName, operationId, name) {
      const { baseUrl, operation } = lookup(systemName, operationId);
      if (operation.channel?.action !== 'subscribe') {
        throw new ConfluxError(
          'SYSTEM_OPERATION_NOT_FOUND',
          `${systemName}.${operationId} is not a channel Conflux can receive from (a SUBSCRIBE operation of an AsyncAPI system).`,
          {
            details: { system: systemName, operation: operationId },
          },
        );
      }
      return subscribeToChannel(options.brokers, baseUrl, operation.channel, {
        system: systemName,
        operation: operationId,
        name,
      });
    },

    async *pages(systemName, operationId, input, callOptions) {
      const { system, operation } = lookup(systemName, operationId);
      const pagination = paginationOf(system, operation);
      if (pagination === undefined) {
        yield await this.call(systemName, operationId, input, callOptions);
        return;
      }
      for await (const page of pages(this, systemName, operationId, input, { ...callOptions, pagination }))
        yield page.response;
    },

    async call(systemName, operationId, rawInput, callOptions) {
      const { system, baseUrl, operation } = lookup(systemName, operationId);
      const where = `${systemName}.${operationId}`;
      // A followed page URL carries its own parameters; the operation's input schema does not apply.
      const { input, errors } =
        callOptions.url === undefined ? checkInput(operation, rawInput) : { input: {}, errors: [] };
      if (errors.length > 0) {
        const summary = errors.map((error) => `${error.field || 'input'} ${error.message}`).join('; ');
        throw new ConfluxError('SYSTEM_REQUEST_INVALID', `Input for ${where} is invalid: ${summary}.`, {
          details: { system: systemName, operation: operationId, errors, retryable: false },
        });
      }

      if (operation.channel !== undefined) {
        if (operation.channel.action !== 'publish') {
          throw new ConfluxError(
            'SYSTEM_REQUEST_INVALID',
            `${where} is a channel Conflux receives from; use it as a \`message\` trigger, not a call.`,
            {
              details: { system: systemName, operation: operationId, retryable: false },
            },
          );
        }
        const headers: Record<string, string> = { 'x-request-id': callOptions.correlationId };
        if (callOptions.idempotencyKey !== undefined) headers['idempotency-key'] = callOptions.idempotencyKey;
        const lease = await budgets
          .forSystem(system)
          .acquire({ timeoutMs: system.timeoutMs, signal: callOptions.signal });
        return publishToChannel(options.brokers, baseUrl, operation.channel, input, where, headers).finally(
          () => lease.finish(),
        );
      }
      const prepare = async (rejected?: string) => {
        const credentials = await resolveCredentials(system.auth, options.resolveSecret, {
          system: systemName,
          ...(options.tokens === undefined ? {} : { tokens: options.tokens }),
          ...(rejected === undefined ? {} : { rejected }),
        });
        const built =
          callOptions.url !== undefined
            ? buildFollowRequest(baseUrl, callOptions.url, credentials, where)
            : operation.soap === undefined
              ? buildHttpRequest(baseUrl, operation, input, credentials)
              : buildSoapRequest(baseUrl, operation.soap, input.body, credentials);
        const headers: Record<string, string> = {
          ...built.headers,
          'x-request-id': callOptions.correlationId,
        };
        if (callOptions.traceparent !== undefined) headers.traceparent = callOptions.traceparent;
        if (callOptions.idempotencyKey !== undefined) headers['idempotency-key'] = callOptions.idempotencyKey;
        if (credentials.sign !== undefined) Object.assign(headers, credentials.sign(built));
        return { request: { ...built, headers }, credentials };
      };
      let { request, credentials } = await prepare();
      let refreshedAfter401 = false;
      const retrySafe = IDEMPOTENT_METHODS.has(operation.method) || callOptions.idempotencyKey !== undefined;
      const attempts = retrySafe ? Math.max(1, system.retry.attempts) : 1;

      const budget = budgets.forSystem(system);
      for (let tryNumber = 1; ; tryNumber += 1) {
        // Every try takes its own place in the system's budget; a backoff holds no slot.
        const lease = await budget.acquire({ timeoutMs: system.timeoutMs, signal: callOptions.signal });
        const started = performance.now();
        const raw = await attempt(request, system.timeoutMs, callOptions.signal, credentials.tls).catch(
          async (error: unknown) => {
            await lease.finish();
            throw error;
          },
        );
        // A 429 (or 503 with Retry-After, or a used-up quota) pauses the whole budget, not just this call.
        await lease.finish(
          raw.kind === 'answer'
            ? {
                status: raw.response.status,
                retryAfter: raw.retryAfter,
                quota: quotaHeaders((name) => raw.response.headers[name]),
              }
            : undefined,
        );
        if (raw.kind === 'answer' && raw.response.status === 401 && system.auth.type !== 'none') {
          if (!refreshedAfter401) {
            // A token may have been revoked early, a secret rotated meanwhile: credentials are
            // fetched again (a fresh token) for one retry, not counted as a try.
            refreshedAfter401 = true;
            ({ request, credentials } = await prepare(credentials.token));
            tryNumber -= 1;
            continue;
          }
          // Refused twice in a row: the credentials are invalid, not the moment (docs/connectors.md).
          throw credentialsRefused(options.health, raw.response, {
            system: systemName,
            operation: operationId,
            where,
          });
        }
        const result: Attempt =
          operation.soap !== undefined && raw.kind === 'answer'
            ? {
                ...raw,
                response: readSoapAnswer(raw.response, where, { system: systemName, operation: operationId }),
              }
            : raw;
        const seconds = (performance.now() - started) / 1000;
        const ok = result.kind === 'answer' && result.response.status >= 200 && result.response.status < 300;
        const outcome = result.kind === 'timeout' ? 'timeout' : ok ? 'ok' : 'error';
        options.metrics.upstreamDuration.observe({ system: systemName, outcome }, seconds);
        const status = result.kind === 'answer' ? result.response.status : undefined;
        options.logger.debug(
          {
            system: systemName,
            operation: operationId,
            method: request.method,
            path: request.logPath,
            status,
            outcome,
            attempt: tryNumber,
            correlationId: callOptions.correlationId,
          },
          'system call',
        );
        if (ok) {
          if (system.auth.type !== 'none') options.health?.set(systemName, 'ok');
          checkAnswer(system.responseValidation ?? 'off', operation, result.response, {
            system: systemName,
            operation: operationId,
            where,
          });
          return result.response;
        }
        const retryable = result.kind !== 'answer' || isRetryableStatus(result.response.status);
        if (retryable && tryNumber < attempts) {
          const retryAfter = result.kind === 'answer' ? result.retryAfter : undefined;
          await sleep(
            retryDelay(tryNumber, system.retry.backoffMs, retryAfter),
            undefined,
            callOptions.signal === undefined ? {} : { signal: callOptions.signal },
          );
          continue;
        }
        throw failure(result, {
          system: systemName,
          operation: operationId,
          where,
          attempts: tryNumber,
          timeoutMs: system.timeoutMs,
          retryable,
        });
      }
    },

    async close() {
      const closing = [...pools.values()].map((pool) => pool.close());
      pools.clear();
      await Promise.all(closing);
    },
  };
}
