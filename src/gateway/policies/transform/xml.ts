import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { ConfluxError } from '../../../errors/index.ts';

// Entities stay unexpanded: an untrusted document must not define or expand any (XXE,
// billion laughs). Attributes are kept under `@_name`.
const parser = new XMLParser({
  ignoreAttributes: false,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: true,
});
const builder = new XMLBuilder({ ignoreAttributes: false, processEntities: true, format: false });

export function xmlToJson(xml: string, where: string): unknown {
  try {
    return parser.parse(xml, true);
  } catch (error) {
    throw new ConfluxError(
      'GATEWAY_BODY_INVALID',
      `The ${where} body is not well-formed XML: ${(error as Error).message}.`,
      {
        cause: error,
        details: { expected: 'an XML document' },
      },
    );
  }
}

export function jsonToXml(value: unknown, root: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ [root]: value }) as string}`;
}
