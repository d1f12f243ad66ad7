/** What a broker subscription hands to its trigger for one message. */
export interface BrokerMessage {
  /** Topic, queue or subject the message arrived on. */
  readonly address: string;
  /** JSON when the payload parses as JSON, else its UTF-8 text. */
  readonly payload: unknown;
  readonly headers: Record<string, string>;
  /** A stable id for the message, so a redelivery starts no second run. */
  readonly id: string;
}

/**
 * A broker subscription in the shape of the engine's TriggerSource: `start` subscribes and hands
 * each message to `fire`, acknowledging it only after `fire` resolved (the run is stored); a
 * failed `fire` leaves the message unacknowledged for redelivery.
 */
export interface BrokerSubscription {
  start(fire: (message: BrokerMessage) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/** Publishes and resolves only once the broker confirmed it (PUBACK, publisher confirm, PubAck). */
export interface BrokerPublisher {
  publish(address: string, payload: unknown, headers?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export function encodePayload(payload: unknown): Buffer {
  if (Buffer.isBuffer(payload)) return payload;
  return Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
}

export function decodePayload(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
