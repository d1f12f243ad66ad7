export { createLogger, type Logger, type LoggerOptions } from './logger.ts';
export {
  childTrace,
  correlationIdFrom,
  formatTraceparent,
  newSpanId,
  parseTraceparent,
  type TraceContext,
} from './correlation.ts';
export { createMetrics, type Metrics } from './metrics.ts';
