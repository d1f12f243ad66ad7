export type { TestResult } from './results.ts';
export { type FlowTestOptions, runFlowTests } from './run-flow-tests.ts';
export { runMappingTests } from './run-mapping-tests.ts';
