export type { GatewayAdmin } from './gateway-admin.ts';
export type { IdentityAdmin } from './identity-admin.ts';
export type {
  AdminDependencies,
  FlowAdmin,
  ProjectReloads,
  ProjectSummary,
  ReloadStatus,
  ReplayRequestBody,
} from './ports.ts';
export { createAdminServer } from './server.ts';
export type {
  OperationDriftReport,
  SystemDetail,
  SystemSummary,
  SystemsAdmin,
} from './systems-admin.ts';
