export { type AmqpSubscriptionOptions, createAmqpPublisher, createAmqpSubscription } from './amqp-client.ts';
