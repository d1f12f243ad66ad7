export { generateApiKey, isWellFormedApiKey, visiblePrefix } from './api-key-format.ts';
export { type ApiKeyService, type ApiKeyServiceOptions, createApiKeyService, type IssuedKey } from './api-key-service.ts';
export { type AdminAuth, createAdminAuth } from './admin-token.ts';
