export type { AdminDependencies, ProjectSummary } from './ports.ts';
export { createAdminServer } from './server.ts';
