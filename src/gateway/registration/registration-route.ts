import { ConfluxError } from '../../errors/index.ts';
import type { ApiDefinition, ApiRegistration } from '../../project/index.ts';
import { joinPath } from '../compile-routes.ts';
import type { CompiledRoute, RouteEntry } from '../config.ts';
import type { HostTable } from '../host-table.ts';
import { createRateLimitPolicy } from '../policies/rate-limit/rate-limit-policy.ts';
import type { PolicyRuntime } from '../policies/runtime.ts';
import { readJsonBody } from '../read-body.ts';
import { sendJson } from '../respond.ts';
import { RouteConflictError } from '../router.ts';

/** Creates self-registered consumers; the platform wires identity's consumers and keys. */
export interface SelfRegistration {
  register(input: RegistrationRequest): Promise<RegisteredConsumer>;
}

export interface RegistrationRequest {
  /** What the caller calls its application; the consumer name is derived from it. */
  readonly application: string;
  readonly email: string;
  readonly api: string;
  readonly plan: string;
}

export interface RegisteredConsumer {
  readonly consumer: string;
  readonly plan: string;
  readonly apis: readonly string[];
  /** Shown in this answer only. */
  readonly key: string;
  readonly keyPrefix: string;
}

/** A registration is a couple of short fields; anything bigger is not one. */
const MAX_BODY_BYTES = 4_096;
const APPLICATION = /^[A-Za-z0-9][\w .-]{0,62}$/;
// Deliberately loose: a mailbox is checked by writing to it, not by a pattern.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

/**
 * `POST <basePath><registration.path>` of a public API: anyone may register an application and
 * gets, once, an API key of a new public consumer on the configured plan, allowed this API only.
 * Registrations are rate limited per client address (`perHour`), with the same RateLimit
 * headers and 429 as the rate-limit policy. The route is outside the API's versions and
 * policies: it needs no credential, which is its point.
 */
export function addRegistrationRoute(
  table: HostTable<RouteEntry>,
  api: ApiDefinition,
  registration: ApiRegistration,
  deps: { readonly register: SelfRegistration; readonly runtime: PolicyRuntime },
): void {
  const template = joinPath(api.basePath, registration.path);
  const route: CompiledRoute = {
    kind: 'route',
    api: api.name,
    template,
    method: 'POST',
    version: '',
    headers: [],
    audited: false,
    target: 'registration',
    policies: [
      createRateLimitPolicy({
        settings: { default: { perHour: registration.perHour } },
        scope: `${api.name}|registration`,
        limiter: deps.runtime.limiter,
        // Callers have no credential yet: counted by client address under one tier.
        planOf: () => 'default',
      }),
    ],
    async handler(ctx) {
      const request = readRegistration(await readJsonBody(ctx.req, MAX_BODY_BYTES));
      const registered = await deps.register.register({
        ...request,
        api: api.name,
        plan: registration.plan,
      });
      sendJson(ctx.res, 201, registered, { 'cache-control': 'no-store' });
    },
  };
  for (const host of api.hosts ?? [undefined]) {
    try {
      table.routerFor(host).add('POST', template, route);
    } catch (error) {
      if (!(error instanceof RouteConflictError)) throw error;
      const at = registration.source;
      throw new ConfluxError(
        'PROJECT_INVALID',
        `${at.file}:${at.line}:${at.column}: registration path ${template} is taken by a route of the API (${error.message}); choose another registration.path.`,
        { details: { ...at } },
      );
    }
  }
}

function readRegistration(body: unknown): { application: string; email: string } {
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const errors: string[] = [];
  const { application, email } = fields;
  if (typeof application !== 'string' || !APPLICATION.test(application))
    errors.push('body/application: must be 1-63 letters, digits, spaces, dots, dashes or underscores');
  if (typeof email !== 'string' || email.length > 254 || !EMAIL.test(email))
    errors.push('body/email: must be an email address');
  if (errors.length > 0 || typeof application !== 'string' || typeof email !== 'string') {
    throw new ConfluxError(
      'GATEWAY_REQUEST_INVALID',
      `The registration is not valid: ${errors.join('; ')}.`,
      { details: { errors } },
    );
  }
  return { application, email };
}
