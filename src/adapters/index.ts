// The adapters module's public face: one sub-folder per protocol or format, re-exported here.
export * from './amqp/index.ts';
export {
  type BrokerClients,
  type BrokerProtocol,
  brokerProtocol,
  createBrokerClients,
} from './broker-clients.ts';
export {
  type BrokerMessage,
  type BrokerPublisher,
  type BrokerSubscription,
  decodePayload,
  encodePayload,
} from './broker-types.ts';
export * from './csv/index.ts';
export * from './mqtt/index.ts';
export * from './nats/index.ts';
export * from './soap/index.ts';
export * from './xml/index.ts';
