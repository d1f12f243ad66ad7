export { type AdminIdentity, type AdminPrincipal, createAdminIdentity } from './admin-identity.ts';
export { ADMIN_ROLES, isAdminRole, ROLES } from './admin-roles.ts';
export { type AdminAuth, createAdminAuth } from './admin-token.ts';
export { generateApiKey, isWellFormedApiKey, visiblePrefix } from './api-key-format.ts';
export {
  type ApiKeyService,
  type ApiKeyServiceOptions,
  createApiKeyService,
  type IssuedKey,
  type VerifiedApiKey,
} from './api-key-service.ts';
export {
  type AdminActor,
  type AdminChange,
  type AuditLog,
  createAuditLog,
  redactSecrets,
} from './audit-log.ts';
export {
  type ConsumerDirectory,
  createConsumerDirectory,
  type ResolvedConsumer,
  resolveConsumer,
  scopesBeyond,
} from './consumer-directory.ts';
export {
  type ConsumerService,
  createConsumerService,
  type NewConsumer,
  type NewPlan,
} from './consumer-service.ts';
export { presentConsumer } from './consumer-view.ts';
export { createLocalAuthenticator, type UserAuthenticator } from './oauth/interactions.ts';
export {
  createOAuthServer,
  type NewOAuthClient,
  type OAuthServer,
  type OAuthServerOptions,
} from './oauth/oauth-server.ts';
export {
  type OnboardedPartner,
  onboardPartner,
  type PartnerCredential,
  type PartnerRequest,
} from './partner-onboarding.ts';
export { hashPassword, verifyPassword } from './password.ts';
