import { createHash } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { ConfluxError } from '../../errors/index.ts';
import {
  type BrokerMessage,
  type BrokerPublisher,
  type BrokerSubscription,
  decodePayload,
  encodePayload,
} from '../broker-types.ts';

export interface MqttSubscriptionOptions {
  readonly url: string;
  /** MQTT topic filter; `+` and `#` wildcards allowed. */
  readonly topic: string;
  /** A stable client id: with a persistent session, messages missed while down are delivered on return. */
  readonly clientId: string;
  readonly qos?: 1 | 2;
  readonly username?: string;
  readonly password?: string;
  readonly onError?: (error: unknown) => void;
}

/**
 * An MQTT subscription with QoS 1 (default) and a persistent session: the PUBACK for a message is
 * sent only after `fire` resolved, so a crash between receipt and the stored run means the broker
 * delivers the message again. Messages are handled one at a time, in order.
 */
export function createMqttSubscription(options: MqttSubscriptionOptions): BrokerSubscription {
  let client: MqttClient | undefined;
  return {
    async start(fire) {
      const clientOptions: IClientOptions = {
        clientId: options.clientId,
        // MQTT 5: mqtt.js only defers PUBACKs (customHandleAcks) on v5, and a v5 persistent
        // session needs an expiry to outlive a disconnect.
        protocolVersion: 5,
        clean: false,
        properties: { sessionExpiryInterval: 86_400 },
        reconnectPeriod: 1000,
        connectTimeout: 5000,
        ...(options.username === undefined ? {} : { username: options.username }),
        ...(options.password === undefined ? {} : { password: options.password }),
        customHandleAcks: (topic, payload, packet: { messageId?: number; dup?: boolean }, done) => {
          const message: BrokerMessage = {
            address: topic,
            payload: decodePayload(payload),
            headers: {},
            id: createHash('sha256')
              .update(`${options.clientId}\n${topic}\n${packet.messageId ?? ''}\n`)
              .update(payload)
              .digest('hex')
              .slice(0, 32),
          };
          fire(message).then(
            () => done(0),
            (error: unknown) => {
              options.onError?.(error);
              // No PUBACK: the broker keeps the message in the session and delivers it again.
              done(error instanceof Error ? error : new Error(String(error)));
            },
          );
        },
      };
      client = await mqtt.connectAsync(options.url, clientOptions);
      client.on('error', (error) => options.onError?.(error));
      await client.subscribeAsync(options.topic, { qos: options.qos ?? 1 });
    },
    async stop() {
      await client?.endAsync();
      client = undefined;
    },
  };
}

/** Publishes with QoS 1: resolves on the broker's PUBACK. */
export async function createMqttPublisher(options: {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
}): Promise<BrokerPublisher> {
  const client = await mqtt.connectAsync(options.url, {
    clientId: options.clientId,
    connectTimeout: 5000,
    reconnectPeriod: 1000,
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
  });
  return {
    async publish(address, payload) {
      try {
        await client.publishAsync(address, encodePayload(payload), { qos: 1 });
      } catch (cause) {
        throw new ConfluxError('ADAPTER_BROKER_FAILED', `MQTT publish to ${address} was not acknowledged.`, {
          details: { protocol: 'mqtt', address, retryable: true },
          cause,
        });
      }
    },
    async close() {
      await client.endAsync();
    },
  };
}

/** `{param}` segments of an AsyncAPI channel address as MQTT single-level wildcards. */
export function mqttTopicFilter(address: string): string {
  return address.replace(/\{[^}]+\}/g, '+');
}
