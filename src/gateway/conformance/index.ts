export {
  type ConformanceCaseResult,
  type ConformanceReport,
  type ConformanceTarget,
  loadConformanceSpecs,
  runConformanceSpecs,
} from './run-conformance-specs.ts';
