import { v7 as uuidv7 } from 'uuid';
import { randomHex, randomPooledBytes } from './random-ids.ts';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/). We honour an incoming
 * `traceparent`, keep its trace id, and give each hop its own span id, so Conflux's calls to
 * systems appear as children of the caller's trace.
 */
export interface TraceContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ALL_ZERO_TRACE = '0'.repeat(32);
const ALL_ZERO_SPAN = '0'.repeat(16);

export function parseTraceparent(header: string | undefined): TraceContext | undefined {
  if (header === undefined) return undefined;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (match === null) return undefined;
  const [, traceId, spanId, flags] = match as unknown as [string, string, string, string];
  if (traceId === ALL_ZERO_TRACE || spanId === ALL_ZERO_SPAN) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

export function newSpanId(): string {
  return nonZero(randomHex(8), ALL_ZERO_SPAN, 8);
}

/** Continues the caller's trace with a new span, or starts a new trace. */
export function childTrace(parent: TraceContext | undefined): TraceContext {
  if (parent === undefined)
    return { traceId: nonZero(randomHex(16), ALL_ZERO_TRACE, 16), spanId: newSpanId(), sampled: true };
  return { traceId: parent.traceId, spanId: newSpanId(), sampled: parent.sampled };
}

/** An all-zero id is invalid in W3C Trace Context; vanishingly rare, but never sent. */
function nonZero(id: string, zero: string, bytes: number): string {
  return id === zero ? randomHex(bytes) : id;
}

export function formatTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.sampled ? '01' : '00'}`;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * An incoming `x-request-id` is echoed when it is a sane token; otherwise we mint one. Minted ids
 * are time-ordered (UUIDv7): runs are indexed by correlation id, and random ids made every
 * stored run dirty a random page of that index.
 */
export function correlationIdFrom(header: string | undefined): string {
  if (header !== undefined && REQUEST_ID.test(header)) return header;
  return uuidv7({ random: randomPooledBytes(16) });
}
