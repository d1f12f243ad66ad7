import { type BrokerClients, brokerProtocol } from '../../adapters/index.ts';
import { ConfluxError } from '../../errors/index.ts';
import type { ChannelBinding, ChannelSubscription, SystemResponse } from '../types.ts';
import { stableUuid } from './stable-uuid.ts';

/** An AsyncAPI address with its `{param}`s filled from the input (each value one segment). */
export function fillAddress(address: string, input: Record<string, unknown>, where: string): string {
  return address.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = input[name];
    if (value === undefined) {
      throw new ConfluxError(
        'SYSTEM_REQUEST_INVALID',
        `Input for ${where} misses channel parameter "${name}".`,
        {
          details: { field: name, retryable: false },
        },
      );
    }
    return String(value).replace(/[/#+*>.\s]/g, '_');
  });
}

/** The `{param}` values of a concrete address, read back against the channel's template. */
export function addressParams(template: string, address: string): Record<string, string> {
  const names: string[] = [];
  const pattern = template
    .replace(/[.*+?^${}()|[\]\\]/g, (char) => `\\${char}`)
    .replace(/\\\{([^}]+)\\\}/g, (_, name: string) => {
      names.push(name);
      return '([^/.]+)';
    });
  const match = new RegExp(`^${pattern}$`).exec(address);
  return Object.fromEntries(names.map((name, index) => [name, match?.[index + 1] ?? '']));
}

function requireBroker(baseUrl: string, brokers: BrokerClients | undefined, where: string): BrokerClients {
  if (brokers === undefined || brokerProtocol(baseUrl) === undefined) {
    throw new ConfluxError(
      'ADAPTER_BROKER_FAILED',
      `${where} is a message channel; its system needs a broker baseUrl (mqtt://, amqp://, nats://), not ${baseUrl}.`,
      {
        details: { baseUrl, retryable: false },
      },
    );
  }
  return brokers;
}

/** A publish operation: the body goes to the filled address; resolves when the broker confirmed. */
export async function publishToChannel(
  brokers: BrokerClients | undefined,
  baseUrl: string,
  channel: ChannelBinding,
  input: Record<string, unknown>,
  where: string,
  headers: Record<string, string>,
): Promise<SystemResponse> {
  const open = requireBroker(baseUrl, brokers, where);
  const address = fillAddress(channel.address, input, where);
  const publisher = await open.publisher(baseUrl);
  await publisher.publish(address, input.body, headers);
  return { status: 202, headers: {}, body: { published: true, address } };
}

/** A subscribe operation as a trigger source: each message fires with a run id stable per message. */
export function subscribeToChannel(
  brokers: BrokerClients | undefined,
  baseUrl: string,
  channel: ChannelBinding,
  facts: { system: string; operation: string; name: string },
): ChannelSubscription {
  const where = `${facts.system}.${facts.operation}`;
  const open = requireBroker(baseUrl, brokers, where);
  const subscription = open.subscription(baseUrl, channel.address, facts.name);
  return {
    start: (fire) =>
      subscription.start((message) =>
        fire(
          {
            system: facts.system,
            operation: facts.operation,
            address: message.address,
            params: addressParams(channel.address, message.address),
            payload: message.payload,
            headers: message.headers,
          },
          { id: stableUuid('message', facts.name, message.id) },
        ),
      ),
    stop: () => subscription.stop(),
  };
}
