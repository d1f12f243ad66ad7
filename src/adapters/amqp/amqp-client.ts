import { createHash } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { ConfluxError } from '../../errors/index.ts';
import {
  type BrokerPublisher,
  type BrokerSubscription,
  decodePayload,
  encodePayload,
} from '../broker-types.ts';

export interface AmqpSubscriptionOptions {
  readonly url: string;
  /** The queue consumed (declared durable if missing). */
  readonly queue: string;
  /** Unacknowledged messages in flight at once (default 8). */
  readonly prefetch?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * An AMQP 0-9-1 consumer with manual acknowledgements: a message is acked after `fire` resolved
 * (its run is stored) and nacked with requeue when `fire` failed, so nothing is lost to a crash.
 */
export function createAmqpSubscription(options: AmqpSubscriptionOptions): BrokerSubscription {
  let connection: ChannelModel | undefined;
  let channel: Channel | undefined;
  return {
    async start(fire) {
      connection = await amqp.connect(options.url);
      connection.on('error', (error) => options.onError?.(error));
      channel = await connection.createChannel();
      await channel.assertQueue(options.queue, { durable: true });
      await channel.prefetch(options.prefetch ?? 8);
      const open = channel;
      await open.consume(options.queue, (message) => {
        if (message === null) return;
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.properties.headers ?? {}))
          headers[name] = String(value);
        const id =
          typeof message.properties.messageId === 'string'
            ? message.properties.messageId
            : createHash('sha256')
                .update(`${options.queue}\n`)
                .update(message.content)
                .digest('hex')
                .slice(0, 32);
        fire({ address: options.queue, payload: decodePayload(message.content), headers, id }).then(
          () => open.ack(message),
          (error: unknown) => {
            options.onError?.(error);
            open.nack(message, false, true);
          },
        );
      });
    },
    async stop() {
      await channel?.close().catch(() => undefined);
      await connection?.close().catch(() => undefined);
      channel = undefined;
      connection = undefined;
    },
  };
}

/**
 * Publishes to a queue through the default exchange on a confirm channel: resolves when the
 * broker confirmed the message is persisted (persistent + durable queue).
 */
export async function createAmqpPublisher(options: { url: string }): Promise<BrokerPublisher> {
  const connection = await amqp.connect(options.url);
  const channel: ConfirmChannel = await connection.createConfirmChannel();
  const declared = new Set<string>();
  return {
    async publish(address, payload, headers = {}) {
      try {
        if (!declared.has(address)) {
          await channel.assertQueue(address, { durable: true });
          declared.add(address);
        }
        await new Promise<void>((resolve, reject) => {
          channel.sendToQueue(
            address,
            encodePayload(payload),
            { persistent: true, contentType: 'application/json', headers },
            (error) => (error === null || error === undefined ? resolve() : reject(error)),
          );
        });
      } catch (cause) {
        throw new ConfluxError(
          'ADAPTER_BROKER_FAILED',
          `AMQP publish to queue ${address} was not confirmed.`,
          {
            details: { protocol: 'amqp', address, retryable: true },
            cause,
          },
        );
      }
    },
    async close() {
      await channel.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}
