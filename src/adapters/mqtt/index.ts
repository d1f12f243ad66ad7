export {
  createMqttPublisher,
  createMqttSubscription,
  type MqttSubscriptionOptions,
  mqttTopicFilter,
} from './mqtt-client.ts';
