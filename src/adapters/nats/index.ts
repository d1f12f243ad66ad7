export { createNatsPublisher, createNatsSubscription, type NatsSubscriptionOptions } from './nats-client.ts';
