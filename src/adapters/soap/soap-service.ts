import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfluxError } from '../../errors/index.ts';
import { buildEnvelope, buildFault, parseEnvelope, type SoapFault } from './envelope.ts';
import type { WsdlOperation } from './types.ts';

export interface SoapServiceOptions {
  readonly operations: readonly WsdlOperation[];
  /** Answers one call: the response element's content as JSON, or throws a SoapServiceFault. */
  respond(operation: WsdlOperation, body: unknown): unknown | Promise<unknown>;
  readonly host?: string;
  readonly port?: number;
  /** Largest request accepted, in bytes (default 1 MiB). */
  readonly maxBytes?: number;
}

export interface SoapService {
  readonly url: string;
  close(): Promise<void>;
}

/** Thrown by `respond` to answer a SOAP fault instead of a body. */
export class SoapServiceFault extends Error {
  constructor(readonly fault: SoapFault) {
    super(fault.reason);
  }
}

/**
 * A SOAP endpoint serving a WSDL's operations over HTTP: what `conflux mock` runs for a WSDL
 * system and what tests call. Picks the operation by SOAPAction (1.1), the `action` parameter
 * (1.2) or the Body's element name; a bad envelope or unknown operation is a Client/Sender fault.
 */
export async function startSoapService(options: SoapServiceOptions): Promise<SoapService> {
  const maxBytes = options.maxBytes ?? 1_048_576;
  const server: Server = createServer((req, res) => {
    void handle(req).then(({ status, xml, version }) => {
      const type = version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
      res.writeHead(status, { 'content-type': type }).end(xml);
    });
  });

  async function handle(
    req: IncomingMessage,
  ): Promise<{ status: number; xml: string; version: '1.1' | '1.2' }> {
    const contentType = req.headers['content-type'] ?? '';
    const version = contentType.includes('application/soap+xml') ? '1.2' : '1.1';
    const clientCode = version === '1.1' ? 'Client' : 'Sender';
    try {
      if (req.method !== 'POST')
        throw new SoapServiceFault({ code: clientCode, reason: 'SOAP requests are POSTed' });
      const text = await readText(req, maxBytes);
      const message = parseEnvelope(text, { maxBytes });
      if (message.kind === 'fault')
        throw new SoapServiceFault({ code: clientCode, reason: 'a request cannot be a fault' });
      const action =
        version === '1.1' ? unquote(req.headers.soapaction) : /action="([^"]*)"/.exec(contentType)?.[1];
      const element = bodyElementName(text);
      const operation =
        options.operations.find(
          (op) =>
            op.binding.version === version &&
            action !== undefined &&
            action !== '' &&
            op.binding.action === action,
        ) ?? options.operations.find((op) => op.binding.request.name === element);
      if (operation === undefined)
        throw new SoapServiceFault({
          code: clientCode,
          reason: `no operation for action "${action ?? ''}" / element ${element ?? '?'}`,
        });
      const answer = await options.respond(operation, message.value);
      const response = operation.binding.response ?? {
        ...operation.binding.request,
        name: `${operation.binding.request.name}Response`,
      };
      return { status: 200, xml: buildEnvelope(version, response, answer), version };
    } catch (error) {
      if (error instanceof SoapServiceFault)
        return { status: 500, xml: buildFault(version, error.fault), version };
      const reason = error instanceof ConfluxError ? error.message : 'internal error';
      const code = error instanceof ConfluxError ? clientCode : version === '1.1' ? 'Server' : 'Receiver';
      return { status: 500, xml: buildFault(version, { code, reason }), version };
    }
  }

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readText(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes)
      throw new SoapServiceFault({ code: 'Client', reason: `request larger than ${maxBytes} bytes` });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function unquote(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.replace(/^"(.*)"$/, '$1');
}

/** The local name of the Body's first element, read from the text (the parsed JSON lost it). */
function bodyElementName(text: string): string | undefined {
  return /<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]+)/.exec(text)?.[1];
}
