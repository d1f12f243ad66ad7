import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createDriftRecorder, detectDrift } from '../../src/systems/index.ts';

const schema = {
  type: 'object',
  required: ['id', 'email', 'address'],
  properties: {
    id: { type: 'integer' },
    email: { type: 'string' },
    address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'string' } } },
    tags: { type: 'array', items: { type: 'string' } },
  },
};

describe('drift: answers that stop matching their description', () => {
  test('a matching answer has no drift', () => {
    assert.deepEqual(
      detectDrift(schema, { id: 1, email: 'a@b.c', address: { city: 'Lyon', zip: '69001' }, tags: ['x'] }),
      [],
    );
  });

  test('new, missing and retyped fields by JSON pointer, with a sample', () => {
    const findings = detectDrift(schema, {
      id: '1',
      address: { city: 'Lyon', zip: 69001, country: 'FR' },
      tags: ['x', 2],
      loyalty: { tier: 'gold' },
    });
    assert.deepEqual(
      findings.map((f) => [f.kind, f.pointer, f.sample]),
      [
        ['missing', '/email', undefined],
        ['retyped', '/id', '1'],
        ['retyped', '/address/zip', 69001],
        ['new', '/address/country', 'FR'],
        ['retyped', '/tags/1', 2],
        ['new', '/loyalty', { tier: 'gold' }],
      ],
    );
  });

  test('counted per operation and pointer', () => {
    const recorder = createDriftRecorder(() => 0);
    recorder.record('crm', 'getContact', detectDrift(schema, { id: 1, email: 'x', address: {}, extra: 1 }));
    recorder.record('crm', 'getContact', detectDrift(schema, { id: 2, email: 'y', address: {}, extra: 2 }));
    recorder.record('crm', 'getContact', []);
    const [report] = recorder.report('crm');
    assert.equal(report?.checked, 3);
    assert.equal(report?.drifted, 2);
    assert.deepEqual(
      report?.findings.map((f) => [f.kind, f.pointer, f.count, f.sample]),
      [['new', '/extra', 2, 1]],
    );
  });
});
