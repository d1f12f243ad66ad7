export { type CompileDependencies, compileGateway, joinPath } from './compile.ts';
export type { CompiledRoute, GatewayConfig, Policy, RouteEntry, TargetHandler } from './config.ts';
export {
  type ConformanceCaseResult,
  type ConformanceReport,
  type ConformanceTarget,
  loadConformanceSpecs,
  runConformanceSpecs,
} from './conformance/index.ts';
export type { Consumer, ConsumerType } from './context.ts';
export { createGateway, type Gateway, type GatewayOptions } from './gateway.ts';
export { HostTable } from './host-table.ts';
export { type ApiDiff, diffOpenApi } from './openapi/diff-openapi.ts';
export { generateOpenApi, type OpenApiSources } from './openapi/generate-openapi.ts';
export { type PlanLookup, planOfConsumer } from './policies/plan.ts';
export { createPolicyRuntime, type PolicyRuntime, type PolicyRuntimeOptions } from './policies/runtime.ts';
export type {
  AuditEvent,
  AuditSink,
  FlowOutcome,
  FlowRunner,
  FlowRunOptions,
  MockDirectory,
  OperationCaller,
  OperationResult,
  UpstreamDirectory,
  UpstreamOperation,
} from './ports.ts';
export type {
  RegisteredConsumer,
  RegistrationRequest,
  SelfRegistration,
} from './registration/registration-route.ts';
export { CircuitBreaker, CircuitBreakers, type CircuitState } from './resilience/circuit-breaker.ts';
export { isRetryableStatus, mayRetry, parseRetryAfter, retryDelay } from './resilience/retry.ts';
export { RouteStats, type RouteStatsSnapshot } from './route-stats.ts';
export { type ParamType, Router } from './router.ts';
export { type RequestTrace, TraceRing } from './trace-ring.ts';
export { UpstreamPools } from './upstream-pools.ts';
