export { loadApiDocument } from './api-document.ts';
export { type Core, openCore, stateDirectory } from './core.ts';
export { createFlowOperations, type FlowOperations } from './flow-operations.ts';
export { type PlatformOptions, type RunningPlatform, startPlatform, validateProject } from './platform.ts';
export { type ProjectTestOptions, runProjectTests } from './project-tests.ts';
export { describeRoles, parseRoles, ROLES, type Role } from './roles.ts';
export { runGatewayConformance } from './run-gateway-conformance.ts';
export { readSettings, type Settings } from './settings.ts';
export { createSystemsRuntimeManager } from './systems-runtime.ts';
