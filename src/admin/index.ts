export type { GatewayAdmin } from './gateway-admin.ts';
export type { IdentityAdmin } from './identity-admin.ts';
export type { AdminDependencies, FlowAdmin, ProjectSummary, ReplayRequestBody } from './ports.ts';
export { createAdminServer } from './server.ts';
