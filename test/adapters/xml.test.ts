import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildXml, parseEnvelope, parseXml } from '../../src/adapters/index.ts';
import { ConfluxError } from '../../src/errors/index.ts';

const rejects = (text: string, limit: string, options = {}) =>
  assert.throws(
    () => parseXml(text, options),
    (error: unknown) =>
      error instanceof ConfluxError && error.code === 'ADAPTER_XML_INVALID' && error.details.limit === limit,
  );

describe('XML ↔ JSON with entities disabled and limits', () => {
  test('elements, attributes, repeats and predefined entities become JSON', () => {
    const json = parseXml(
      '<order id="7"><sku>A&amp;B</sku><line>1</line><line>2</line><zip>00123</zip><note>caf&#233;</note></order>',
    );
    assert.deepEqual(json, { order: { '@_id': '7', sku: 'A&B', line: [1, 2], zip: '00123', note: 'café' } });
  });

  test('JSON back to XML escapes text', () => {
    assert.equal(
      buildXml({ a: { '@_x': '1', b: '<script>', c: [1, 2] } }),
      '<a x="1"><b>&lt;script&gt;</b><c>1</c><c>2</c></a>',
    );
  });

  test('XXE: an external entity declaration is refused, the file is never read', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r>&xxe;</r>';
    rejects(xxe, 'doctype');
    // Without the DOCTYPE, an undeclared entity reference stays literal text: nothing is expanded.
    assert.deepEqual(parseXml('<r>&xxe;</r>'), { r: '&xxe;' });
  });

  test('billion laughs: nested entity definitions are refused before any expansion', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]><lolz>&lol9;</lolz>`;
    rejects(lol, 'doctype');
  });

  test('size and depth limits', () => {
    rejects(`<a>${'x'.repeat(2000)}</a>`, 'maxBytes', { maxBytes: 1000 });
    rejects(`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`, 'maxDepth', { maxDepth: 64 });
    assert.doesNotThrow(() => parseXml(`${'<a>'.repeat(64)}${'</a>'.repeat(64)}`, { maxDepth: 64 }));
  });

  test('a SOAP envelope with a DOCTYPE is refused too', () => {
    const envelope =
      '<!DOCTYPE e [<!ENTITY x SYSTEM "http://127.0.0.1:1/">]><Envelope><Body><r>&x;</r></Body></Envelope>';
    assert.throws(() => parseEnvelope(envelope), { code: 'ADAPTER_XML_INVALID' });
  });
});
