import { AckPolicy, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ConfluxError } from '../../errors/index.ts';
import {
  type BrokerPublisher,
  type BrokerSubscription,
  decodePayload,
  encodePayload,
} from '../broker-types.ts';

export interface NatsSubscriptionOptions {
  /** nats://host:port */
  readonly url: string;
  /** The subject (wildcards allowed) whose stream is consumed. */
  readonly subject: string;
  /** Durable consumer name: a restart resumes where the last acknowledged message was. */
  readonly durable: string;
  readonly onError?: (error: unknown) => void;
}

/** The stream holding `subject`, created (file storage) when no stream covers it yet. */
async function ensureStream(manager: JetStreamManager, subject: string): Promise<string> {
  const found = await manager.streams.find(subject).catch(() => undefined);
  if (found !== undefined) return found;
  const name = `CONFLUX_${subject.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  await manager.streams.add({ name, subjects: [subject] });
  return name;
}

function servers(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '4222'}`;
}

/**
 * A durable JetStream consumer with explicit acks: each message is acked after `fire` resolved
 * and nak'ed (redelivered) when it failed. The JetStream message sequence is the message id.
 */
export function createNatsSubscription(options: NatsSubscriptionOptions): BrokerSubscription {
  let connection: NatsConnection | undefined;
  let stopped: Promise<void> | undefined;
  return {
    async start(fire) {
      connection = await connect({ servers: servers(options.url) });
      const manager = await jetstreamManager(connection);
      const stream = await ensureStream(manager, options.subject);
      await manager.consumers.add(stream, {
        durable_name: options.durable,
        ack_policy: AckPolicy.Explicit,
        filter_subject: options.subject,
      });
      const consumer = await jetstream(connection).consumers.get(stream, options.durable);
      const messages = await consumer.consume();
      stopped = (async () => {
        for await (const message of messages) {
          const headers: Record<string, string> = {};
          for (const [name, values] of message.headers ?? []) headers[name] = values.join(', ');
          try {
            await fire({
              address: message.subject,
              payload: decodePayload(message.data),
              headers,
              id: `${stream}:${message.seq}`,
            });
            message.ack();
          } catch (error) {
            options.onError?.(error);
            message.nak();
          }
        }
      })();
    },
    async stop() {
      await connection?.drain().catch(() => undefined);
      await stopped?.catch(() => undefined);
      connection = undefined;
    },
  };
}

/** Publishes to JetStream: resolves on the stream's PubAck (the message is stored). */
export async function createNatsPublisher(options: { url: string }): Promise<BrokerPublisher> {
  const connection = await connect({ servers: servers(options.url) });
  const manager = await jetstreamManager(connection);
  const client = jetstream(connection);
  const ensured = new Set<string>();
  return {
    async publish(address, payload) {
      try {
        if (!ensured.has(address)) {
          await ensureStream(manager, address);
          ensured.add(address);
        }
        await client.publish(address, encodePayload(payload));
      } catch (cause) {
        throw new ConfluxError(
          'ADAPTER_BROKER_FAILED',
          `NATS JetStream publish to ${address} was not acknowledged.`,
          {
            details: { protocol: 'nats', address, retryable: true },
            cause,
          },
        );
      }
    },
    async close() {
      await connection.drain().catch(() => undefined);
    },
  };
}
