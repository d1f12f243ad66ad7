import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { type ConfluxProcess, copyProject, REPO, startConflux, stopConflux } from '../e2e/harness.ts';

const run = promisify(execFile);
const QUEUE = 'maintenance-tickets';

/** Reads messages from the queue until one matches, for at most `timeoutMs`; acks what it reads. */
async function readTicket(
  channel: amqp.Channel,
  ticketId: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const message = await channel.get(QUEUE, { noAck: true });
    if (message === false) {
      await sleep(100);
      continue;
    }
    const ticket = JSON.parse(message.content.toString()) as Record<string, unknown>;
    if (ticket.ticketId === ticketId) return ticket;
  }
  throw new Error(`no ticket ${ticketId} on ${QUEUE} within ${timeoutMs} ms`);
}

describe('examples/manufacturing-iot: mosquitto_pub → flow → RabbitMQ', () => {
  let project: ReturnType<typeof copyProject>;
  let conflux: ConfluxProcess;
  let connection: amqp.ChannelModel;
  let channel: amqp.Channel;

  before(async () => {
    project = copyProject(join(REPO, 'examples/manufacturing-iot'));
    connection = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
    channel = await connection.createChannel();
    await channel.assertQueue(QUEUE, { durable: true });
    conflux = await startConflux(project.dir, { timeoutMs: 90_000 });
  });

  after(async () => {
    if (conflux !== undefined) await stopConflux(conflux);
    await channel?.close().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    project?.remove();
  });

  test('an alarm published with mosquitto_pub becomes a P1 ticket on the queue', async () => {
    const alarmId = randomUUID();
    const alarm = {
      alarmId,
      machine: 'CNC-12',
      code: 'SPINDLE_OVERTEMP',
      severity: 5,
      temperatureC: 92.5,
      raisedAt: new Date().toISOString(),
    };
    // The subscription is up once the process has started its engine; retry the publish until the ticket shows.
    let ticket: Record<string, unknown> | undefined;
    for (let attempt = 0; attempt < 5 && ticket === undefined; attempt += 1) {
      await run('mosquitto_pub', [
        '-h',
        '127.0.0.1',
        '-p',
        '1883',
        '-q',
        '1',
        '-t',
        'plant/line-7/alarm',
        '-m',
        JSON.stringify(alarm),
      ]);
      ticket = await readTicket(channel, `MT-${alarmId}`, 3000).catch(() => undefined);
    }
    assert.ok(ticket, `no ticket arrived; conflux said:\n${conflux.output().slice(-3000)}`);
    assert.equal(ticket.asset, 'CNC-12');
    assert.equal(ticket.line, 'line-7');
    assert.equal(ticket.priority, 'P1');
    assert.equal(ticket.title, 'SPINDLE_OVERTEMP on CNC-12');
    assert.deepEqual(ticket.source, { topic: 'plant/line-7/alarm', raisedAt: alarm.raisedAt });
  });

  test('the run is recorded with the message as its trigger data', async () => {
    const response = await fetch(`${conflux.adminUrl}/api/v1/runs?flow=alarm-to-ticket`, {
      headers: { authorization: `Bearer ${conflux.adminToken}` },
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as
      | { items?: { status: string; triggerType?: string }[] }
      | { status: string }[];
    const items = Array.isArray(body) ? body : (body.items ?? []);
    assert.ok(
      items.some((item) => item.status === 'succeeded'),
      JSON.stringify(body).slice(0, 500),
    );
  });
});
