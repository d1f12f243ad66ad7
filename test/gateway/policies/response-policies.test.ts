import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { json, startProject, type TestProject, Upstream } from './harness.ts';

let upstream: Upstream;
let project: TestProject;

before(async () => {
  upstream = new Upstream();
  await upstream.start();
  project = await startProject({
    apis: {
      media: `name: media
basePath: /media
visibility: public
auth: { type: none }
policies:
  cache: { ttlSeconds: 30, varyHeaders: [accept-language] }
routes:
  - { method: GET, path: /cache, url: '${upstream.url}/cache' }
  - method: POST
    path: /orders
    url: '${upstream.url}/orders'
    policies:
      transform:
        request:
          headers: { set: { x-tenant: acme }, remove: [x-drop-me] }
          query: { set: { source: gateway }, remove: [debug] }
          body: '{ "total": qty * price, "sku": sku }'
        response:
          headers: { set: { x-transformed: 'yes' }, remove: [x-upstream-secret] }
          body: '{ "seenBody": $eval(body), "seenUrl": url }'
  - method: GET
    path: /xml
    url: '${upstream.url}/xml'
    policies:
      transform:
        response: { convert: xml-to-json }
  - method: POST
    path: /to-xml
    url: '${upstream.url}/to-xml'
    policies:
      transform:
        response: { body: '{ "method": method }', convert: json-to-xml, xmlRoot: answer }
`,
    },
  });
});

after(async () => {
  await project.stop();
  await upstream.stop();
});

async function metric(name: string, labels: string): Promise<number> {
  const text = await (
    await fetch(`${project.platform.adminUrl}/metrics`, {
      headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' },
    })
  ).text();
  const line = text.split('\n').find((row) => row.startsWith(`${name}{`) && row.includes(labels));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('response cache', () => {
  test('MISS then HIT; the upstream is called once; hit/miss metrics count', async () => {
    const before = upstream.seen.length;
    const first = await fetch(`${project.url}/media/cache?cc=max-age%3D60&k=1`);
    assert.equal(first.headers.get('x-cache'), 'MISS');
    const firstBody = await first.json();
    const second = await fetch(`${project.url}/media/cache?cc=max-age%3D60&k=1`);
    assert.equal(second.headers.get('x-cache'), 'HIT');
    assert.deepEqual(await second.json(), firstBody);
    assert.ok(second.headers.get('age') !== null);
    assert.equal(upstream.seen.length - before, 1);
    assert.ok((await metric('conflux_cache_lookups_total', 'outcome="hit"')) >= 1);
    assert.ok((await metric('conflux_cache_lookups_total', 'outcome="miss"')) >= 1);
  });

  test('no-store, private and no-cache are never stored', async () => {
    for (const cc of ['no-store', 'private, max-age=60', 'no-cache']) {
      const url = `${project.url}/media/cache?cc=${encodeURIComponent(cc)}`;
      await (await fetch(url)).arrayBuffer();
      const again = await fetch(url);
      assert.equal(again.headers.get('x-cache'), 'MISS', cc);
      await again.arrayBuffer();
    }
  });

  test('the key varies on the configured header and on the query', async () => {
    const url = `${project.url}/media/cache?cc=s-maxage%3D60&k=vary`;
    await (await fetch(url, { headers: { 'accept-language': 'en' } })).arrayBuffer();
    const other = await fetch(url, { headers: { 'accept-language': 'fr' } });
    assert.equal(other.headers.get('x-cache'), 'MISS');
    await other.arrayBuffer();
    const same = await fetch(url, { headers: { 'accept-language': 'fr' } });
    assert.equal(same.headers.get('x-cache'), 'HIT');
    await same.arrayBuffer();
  });
});

describe('transforms', () => {
  test('request headers, query and body (JSONata) and response headers and body', async () => {
    const response = await fetch(`${project.url}/media/orders?debug=1&keep=2`, {
      method: 'POST',
      body: JSON.stringify({ qty: 3, price: 5, sku: 'A1' }),
      headers: { 'content-type': 'application/json', 'x-drop-me': 'secret' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-transformed'), 'yes');
    assert.equal(response.headers.get('x-upstream-secret'), null);
    const body = await json(response);
    assert.deepEqual(body.seenBody, { total: 15, sku: 'A1' });
    assert.equal(body.seenUrl, '/orders?keep=2&source=gateway');
    const seen = upstream.seen.at(-1);
    assert.equal(seen?.headers['x-tenant'], 'acme');
    assert.equal(seen?.headers['x-drop-me'], undefined);
  });

  test('XML to JSON and JSON to XML', async () => {
    const fromXml = await fetch(`${project.url}/media/xml`);
    assert.match(fromXml.headers.get('content-type') ?? '', /json/);
    assert.deepEqual(await fromXml.json(), {
      '?xml': { '@_version': '1.0' },
      order: { id: 7, item: { '#text': 'pen', '@_sku': 'A1' } },
    });
    const toXml = await fetch(`${project.url}/media/to-xml`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    assert.match(toXml.headers.get('content-type') ?? '', /xml/);
    assert.equal(
      await toXml.text(),
      '<?xml version="1.0" encoding="UTF-8"?><answer><method>POST</method></answer>',
    );
  });
});
