export { type CompileDependencies, compileGateway, joinPath } from './compile.ts';
export type { CompiledRoute, GatewayConfig, Policy, TargetHandler } from './config.ts';
export { createGateway, type Gateway, type GatewayOptions } from './gateway.ts';
export type { FlowOutcome, FlowRunner, FlowRunOptions, UpstreamDirectory, UpstreamOperation } from './ports.ts';
export { Router } from './router.ts';
export { UpstreamPools } from './upstream-pools.ts';
