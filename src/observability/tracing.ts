import {
  type Attributes,
  type Span as OtelSpan,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { TraceContext } from './correlation.ts';

/** One unit of work in a trace: a gateway request, or one call it makes upstream. */
export interface Span {
  /** The ids to log and to propagate (`traceparent`) to whatever this span calls. */
  readonly context: TraceContext;
  setAttributes(attributes: Attributes): void;
  /** Names known only later (the matched route) replace the provisional name. */
  updateName(name: string): void;
  /** Ends the span; a failure marks it as an error with its code. */
  end(failure?: { readonly code: string; readonly message: string }): void;
}

export interface Tracer {
  /** False when no exporter is configured: callers then skip spans entirely (zero cost). */
  readonly enabled: boolean;
  startSpan(
    name: string,
    kind: 'server' | 'client' | 'internal',
    parent: TraceContext | undefined,
    attributes?: Attributes,
  ): Span;
  /** Exports what is still buffered; on shutdown. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** OTLP/HTTP (JSON) traces endpoint, e.g. http://collector:4318/v1/traces; undefined: off. */
  readonly otlpEndpoint: string | undefined;
  readonly serviceName: string;
  readonly serviceVersion: string;
  /** Share of new traces recorded (0..1); a caller's sampled flag is always followed. */
  readonly sampleRatio: number;
  /** How long spans wait in the batch before export; shorter in tests. */
  readonly exportDelayMs?: number;
}

const KINDS = { server: SpanKind.SERVER, client: SpanKind.CLIENT, internal: SpanKind.INTERNAL } as const;

/**
 * OpenTelemetry tracing on the official SDK, exported in batches over OTLP/HTTP. Parents are
 * passed explicitly (the gateway already carries its TraceContext on every request), so no
 * async context manager runs on the hot path.
 */
export function createTracer(options: TracingOptions): Tracer {
  if (options.otlpEndpoint === undefined) return disabledTracer;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName,
      'service.version': options.serviceVersion,
    }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio) }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: options.otlpEndpoint }),
        scheduledDelayMillis: options.exportDelayMs ?? 2_000,
        maxQueueSize: 8_192,
      }),
    ],
  });
  const tracer = provider.getTracer('conflux', options.serviceVersion);
  return {
    enabled: true,
    startSpan(name, kind, parent, attributes) {
      const parentContext =
        parent === undefined
          ? ROOT_CONTEXT
          : trace.setSpanContext(ROOT_CONTEXT, {
              traceId: parent.traceId,
              spanId: parent.spanId,
              traceFlags: parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
              isRemote: true,
            });
      const span = tracer.startSpan(
        name,
        { kind: KINDS[kind], ...(attributes === undefined ? {} : { attributes }) },
        parentContext,
      );
      return wrap(span);
    },
    async shutdown() {
      await provider.shutdown();
    },
  };
}

function wrap(span: OtelSpan): Span {
  const ids = span.spanContext();
  return {
    context: {
      traceId: ids.traceId,
      spanId: ids.spanId,
      sampled: (ids.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED,
    },
    setAttributes(attributes) {
      span.setAttributes(attributes);
    },
    updateName(name) {
      span.updateName(name);
    },
    end(failure) {
      if (failure !== undefined) {
        span.setAttribute('error.type', failure.code);
        span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      }
      span.end();
    },
  };
}

const disabledTracer: Tracer = {
  enabled: false,
  startSpan() {
    throw new Error('tracing is disabled: check Tracer.enabled before starting spans');
  },
  async shutdown() {},
};
