import { createAmqpPublisher, createAmqpSubscription } from './amqp/index.ts';
import type { BrokerPublisher, BrokerSubscription } from './broker-types.ts';
import { createMqttPublisher, createMqttSubscription, mqttTopicFilter } from './mqtt/index.ts';
import { createNatsPublisher, createNatsSubscription } from './nats/index.ts';

export type BrokerProtocol = 'mqtt' | 'amqp' | 'nats';

export function brokerProtocol(url: string): BrokerProtocol | undefined {
  const scheme = new URL(url).protocol.replace(/:$/, '');
  if (scheme === 'mqtt' || scheme === 'mqtts') return 'mqtt';
  if (scheme === 'amqp' || scheme === 'amqps') return 'amqp';
  if (scheme === 'nats') return 'nats';
  return undefined;
}

/**
 * Publishers per broker URL, opened on first use and shared by every call, plus subscriptions
 * for triggers. `address` is an MQTT topic, an AMQP queue or a NATS subject.
 */
export function createBrokerClients(options: { clientIdPrefix: string; onError?: (error: unknown) => void }) {
  const publishers = new Map<string, Promise<BrokerPublisher>>();
  return {
    publisher(url: string): Promise<BrokerPublisher> {
      let publisher = publishers.get(url);
      if (publisher === undefined) {
        const protocol = brokerProtocol(url);
        publisher =
          protocol === 'mqtt'
            ? createMqttPublisher({
                url,
                clientId: `${options.clientIdPrefix}-pub-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
              })
            : protocol === 'amqp'
              ? createAmqpPublisher({ url })
              : createNatsPublisher({ url });
        publisher.catch(() => publishers.delete(url));
        publishers.set(url, publisher);
      }
      return publisher;
    },
    /** `name` identifies the subscriber durably (MQTT client id, NATS durable consumer). */
    subscription(url: string, address: string, name: string): BrokerSubscription {
      const protocol = brokerProtocol(url);
      const onError = options.onError === undefined ? {} : { onError: options.onError };
      if (protocol === 'mqtt')
        return createMqttSubscription({
          url,
          topic: mqttTopicFilter(address),
          clientId: `${options.clientIdPrefix}-${name}`,
          ...onError,
        });
      if (protocol === 'amqp') return createAmqpSubscription({ url, queue: address, ...onError });
      return createNatsSubscription({
        url,
        subject: address.replace(/\{[^}]+\}/g, '*'),
        durable: `${options.clientIdPrefix}-${name}`.replace(/[^A-Za-z0-9_-]/g, '_'),
        ...onError,
      });
    },
    async close(): Promise<void> {
      const all = [...publishers.values()];
      publishers.clear();
      await Promise.all(
        all.map((publisher) => publisher.then((open) => open.close()).catch(() => undefined)),
      );
    },
  };
}

export type BrokerClients = ReturnType<typeof createBrokerClients>;
