import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type SoapService,
  SoapServiceFault,
  startSoapService,
  type WsdlOperation,
} from '../../src/adapters/index.ts';
import { ConfluxError } from '../../src/errors/index.ts';
import { createLogger, createMetrics } from '../../src/observability/index.ts';
import type { SystemDefinition } from '../../src/project/index.ts';
import {
  createSystemCaller,
  loadSystemDescription,
  type SystemDescription,
} from '../../src/systems/index.ts';

const wsdl = (name: string) => fileURLToPath(new URL(`../../../shared/corpus/wsdl/${name}`, import.meta.url));

/** The operations of a description as the SOAP service wants them. */
function wsdlOperations(description: SystemDescription): WsdlOperation[] {
  return [...description.operations.values()].flatMap((operation) =>
    operation.soap === undefined
      ? []
      : [{ name: operation.id, binding: operation.soap, inputSchema: {}, pointer: '' }],
  );
}

describe('SOAP: WSDL operations called with JSON against a local SOAP service', () => {
  let description: SystemDescription;
  let service: SoapService;
  const received: unknown[] = [];
  let caller: ReturnType<typeof createSystemCaller>;

  before(async () => {
    description = await loadSystemDescription(wsdl('node-soap/stockquote.wsdl'));
    service = await startSoapService({
      operations: wsdlOperations(description),
      respond(operation, body) {
        received.push({ operation: operation.name, body });
        const ticker = (body as { tickerSymbol?: string }).tickerSymbol;
        if (ticker === 'NOPE')
          throw new SoapServiceFault({ code: 'Client', reason: 'unknown ticker NOPE', detail: { ticker } });
        return { price: 19.5, tax: 1.25, other: 0 };
      },
    });
    const system: SystemDefinition = {
      name: 'stocks',
      descriptionFile: wsdl('node-soap/stockquote.wsdl'),
      baseUrl: `${service.url}/stockquote`,
      auth: { type: 'none' },
      timeoutMs: 2000,
      retry: { attempts: 1, backoffMs: 10 },
      source: { file: 'systems/stocks.yaml', line: 1, column: 1 },
    };
    caller = createSystemCaller({
      systems: new Map([['stocks', system]]),
      descriptions: new Map([['stocks', description]]),
      baseUrls: new Map([['stocks', system.baseUrl]]),
      resolveSecret: () => Promise.reject(new Error('no secrets')),
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics(),
    });
  });
  after(async () => {
    await caller.close();
    await service.close();
  });

  test('JSON in, envelope on the wire, JSON out', async () => {
    const answer = await caller.call(
      'stocks',
      'GetLastTradePrice',
      { body: { tickerSymbol: 'ACME' } },
      { correlationId: 'c1' },
    );
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { price: 19.5, tax: 1.25, other: 0 });
    assert.deepEqual(received.at(-1), { operation: 'GetLastTradePrice', body: { tickerSymbol: 'ACME' } });
  });

  test('input is validated against the WSDL schema before anything is sent', async () => {
    const count = received.length;
    await assert.rejects(caller.call('stocks', 'GetLastTradePrice', { body: {} }, { correlationId: 'c2' }), {
      code: 'SYSTEM_REQUEST_INVALID',
    });
    assert.equal(received.length, count);
  });

  test('a SOAP fault becomes SYSTEM_SOAP_FAULT with code, reason and detail', async () => {
    await assert.rejects(
      caller.call('stocks', 'GetLastTradePrice', { body: { tickerSymbol: 'NOPE' } }, { correlationId: 'c3' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfluxError);
        assert.equal(error.code, 'SYSTEM_SOAP_FAULT');
        assert.equal(error.details.faultCode, 'Client');
        assert.equal(error.details.faultReason, 'unknown ticker NOPE');
        assert.deepEqual(error.details.faultDetail, { ticker: 'NOPE' });
        assert.equal(error.details.retryable, false);
        return true;
      },
    );
  });
});

describe('SOAP 1.2 and the generated mock of a corpus WSDL', () => {
  test('the mock of global-weather answers GetWeather with schema-shaped JSON', async () => {
    const { startMockServer } = await import('../../src/systems/index.ts');
    const description = await loadSystemDescription(wsdl('wirespec/global-weather.wsdl'));
    const mock = await startMockServer(description, { port: 0 });
    const caller = createSystemCaller({
      systems: new Map([
        [
          'weather',
          {
            name: 'weather',
            descriptionFile: '',
            baseUrl: mock.url,
            auth: { type: 'none' },
            timeoutMs: 2000,
            retry: { attempts: 1, backoffMs: 1 },
            source: { file: 'x', line: 1, column: 1 },
          },
        ],
      ]),
      descriptions: new Map([['weather', description]]),
      baseUrls: new Map([['weather', mock.url]]),
      resolveSecret: () => Promise.reject(new Error('none')),
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics(),
    });
    try {
      const answer = await caller.call(
        'weather',
        'GetWeather',
        { body: { CityName: 'Lyon', CountryName: 'France' } },
        { correlationId: 'w' },
      );
      assert.equal(typeof (answer.body as { GetWeatherResult?: unknown }).GetWeatherResult, 'string');
    } finally {
      await caller.close();
      await mock.close();
    }
  });

  test('a 1.2 envelope is dispatched by its action parameter and faults come back as Sender', async () => {
    const description = await loadSystemDescription(wsdl('wirespec/country-info-service.wsdl'));
    const operations = wsdlOperations(description).map((operation) => ({
      ...operation,
      binding: { ...operation.binding, version: '1.2' as const, action: operation.name },
    }));
    const service = await startSoapService({ operations, respond: () => ({ CapitalCityResult: 'Paris' }) });
    try {
      const capital = operations.find((operation) => operation.name === 'CapitalCity');
      assert.ok(capital);
      const envelope = `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><CapitalCity xmlns="${capital.binding.request.namespace}"><sCountryISOCode>FR</sCountryISOCode></CapitalCity></s:Body></s:Envelope>`;
      const ok = await fetch(service.url, {
        method: 'POST',
        headers: { 'content-type': 'application/soap+xml; action="CapitalCity"' },
        body: envelope,
      });
      assert.equal(ok.status, 200);
      assert.match(await ok.text(), /<CapitalCityResult>Paris<\/CapitalCityResult>/);
      const bad = await fetch(service.url, {
        method: 'POST',
        headers: { 'content-type': 'application/soap+xml' },
        body: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      });
      assert.equal(bad.status, 500);
      const text = await bad.text();
      assert.match(text, /Sender/);
      assert.doesNotMatch(text, /root:/);
    } finally {
      await service.close();
    }
  });
});
