import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type BrokerMessage, createNatsPublisher, createNatsSubscription } from '../../src/adapters/index.ts';

const URL = 'nats://127.0.0.1:4222';

describe('NATS JetStream: publish with PubAck, consume with explicit acks', () => {
  test('a message nak-ed once is redelivered, then acked exactly once', async () => {
    const subject = `conflux.test.${randomBytes(4).toString('hex')}`;
    const publisher = await createNatsPublisher({ url: URL });
    const fires: BrokerMessage[] = [];
    const subscription = createNatsSubscription({
      url: URL,
      subject,
      durable: `test-${randomBytes(4).toString('hex')}`,
    });
    try {
      await publisher.publish(subject, { reading: 21.5 });
      await subscription.start((message) => {
        fires.push(message);
        return fires.length === 1 ? Promise.reject(new Error('store not reachable')) : Promise.resolve();
      });
      for (let i = 0; i < 100 && fires.length < 2; i += 1) await sleep(50);
      assert.equal(fires.length, 2);
      assert.deepEqual(fires[0]?.payload, { reading: 21.5 });
      assert.equal(fires[0]?.id, fires[1]?.id, 'the redelivery carries the same id (so the same run id)');
      await sleep(300);
      assert.equal(fires.length, 2, 'acked: not delivered again');
    } finally {
      await subscription.stop();
      await publisher.close();
      const connection = await connect({ servers: '127.0.0.1:4222' });
      const manager = await jetstreamManager(connection);
      const stream = await manager.streams.find(subject).catch(() => undefined);
      if (stream !== undefined) await manager.streams.delete(stream);
      await connection.drain();
    }
  });
});
