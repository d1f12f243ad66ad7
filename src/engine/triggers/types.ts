/** Facts about one firing that the run should keep. */
export interface FireMeta {
  /** Fixes the run's id: the same firing (an event redelivered, an item polled twice) starts one run. */
  readonly id?: string;
  readonly correlationId?: string;
}

/**
 * Something that starts runs of one flow trigger: the internal event bus, a poller, and (with
 * the adapters) MQTT, AMQP and NATS subscriptions. `fire` resolves once the run is stored, so
 * a source may acknowledge its message then.
 */
export interface TriggerSource {
  start(fire: (input: unknown, meta: FireMeta) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}
