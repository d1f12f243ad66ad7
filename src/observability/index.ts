export {
  childTrace,
  correlationIdFrom,
  formatTraceparent,
  newSpanId,
  parseTraceparent,
  type TraceContext,
} from './correlation.ts';
export { createLogger, type Logger, type LoggerOptions } from './logger.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { randomPooledBytes } from './random-ids.ts';
export { createTracer, type Span, type Tracer, type TracingOptions } from './tracing.ts';
