import type { FastifyRequest } from 'fastify';
import type {
  AdminIdentity,
  AdminPrincipal,
  AuditLog,
  ConsumerService,
  OAuthServer,
} from '../identity/index.ts';
import type { AuditRepository } from '../store/index.ts';

/**
 * What the admin API needs from identity (wired by the composition root): admin identities
 * and roles, consumers and plans, the OAuth server, and the audit trail.
 */
export interface IdentityAdmin {
  readonly admins: AdminIdentity;
  readonly consumers: ConsumerService;
  readonly oauth: OAuthServer;
  readonly audit: AuditLog;
  readonly auditEvents: AuditRepository;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles that may call the route; without it: every role for GET, `operate` otherwise. */
    roles?: readonly string[];
    /** The route records its own detailed audit event (before/after); the generic one is skipped. */
    audited?: boolean;
  }
  interface FastifyRequest {
    /** The authenticated admin identity (set by the role hook). */
    admin?: AdminPrincipal;
  }
}

/** The admin identity of an authenticated request (the role hook ran before any handler). */
export function actorOf(request: FastifyRequest): AdminPrincipal {
  return request.admin ?? { id: 'unknown', name: 'unknown', role: 'viewer' };
}
