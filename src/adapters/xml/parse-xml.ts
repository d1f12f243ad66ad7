import { XMLParser } from 'fast-xml-parser';
import { ConfluxError } from '../../errors/index.ts';

export interface XmlLimits {
  /** Largest document accepted, in bytes (default 5 MiB). */
  readonly maxBytes?: number;
  /** Deepest element nesting accepted (default 64). */
  readonly maxDepth?: number;
}

export interface ParseXmlOptions extends XmlLimits {
  /** Drop namespace prefixes from names (`soap:Body` → `Body`); default true. */
  readonly stripNamespaces?: boolean;
  /** Turn numeric and boolean text into numbers and booleans; default true. */
  readonly typedValues?: boolean;
}

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 64;
const TAG = /<(\/?)([A-Za-z_][\w.:-]*)[^<>]*?(\/?)>/g;

/**
 * Parses untrusted XML into plain JSON (attributes as `@_name`, text beside attributes as
 * `#text`). A document type declaration is refused outright: it is where external entities
 * (XXE) and entity expansion (billion laughs) live, and neither SOAP nor our other XML inputs
 * need one. Entities are never expanded; size and nesting depth are bounded before parsing.
 */
export function parseXml(text: string, options: ParseXmlOptions = {}): Record<string, unknown> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) {
    throw xmlInvalid(`is ${bytes} bytes; at most ${maxBytes} are accepted`, { limit: 'maxBytes', maxBytes });
  }
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw xmlInvalid('contains a document type declaration (DOCTYPE/ENTITY); these are refused', {
      limit: 'doctype',
    });
  }
  checkDepth(text, maxDepth);
  const typed = options.typedValues ?? true;
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: options.stripNamespaces ?? true,
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    parseTagValue: typed,
    parseAttributeValue: false,
    trimValues: true,
    numberParseOptions: { hex: false, leadingZeros: false, eNotation: false },
    tagValueProcessor: (_name: string, value: string) => decodePredefined(value),
    attributeValueProcessor: (_name: string, value: string) => decodePredefined(value),
  });
  try {
    const result = parser.parse(text, true) as unknown;
    if (typeof result !== 'object' || result === null) throw new Error('no root element');
    return result as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ConfluxError) throw error;
    throw xmlInvalid(`is not well-formed (${(error as Error).message ?? String(error)})`, {}, error);
  }
}

/** A linear scan of the tags: a deeply nested document is refused before any tree is built. */
function checkDepth(text: string, maxDepth: number): void {
  let depth = 0;
  for (const match of text.matchAll(TAG)) {
    if (match[1] === '/') depth -= 1;
    else if (match[3] !== '/') {
      depth += 1;
      if (depth > maxDepth) {
        throw xmlInvalid(`nests elements deeper than ${maxDepth} levels`, { limit: 'maxDepth', maxDepth });
      }
    }
  }
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's five predefined entities and character references: text, never expansion of declared entities. */
function decodePredefined(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return safeCodePoint(Number.parseInt(name.slice(2), 16), whole);
    if (name.startsWith('#')) return safeCodePoint(Number.parseInt(name.slice(1), 10), whole);
    return PREDEFINED[name] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

function xmlInvalid(problem: string, details: Record<string, unknown>, cause?: unknown): ConfluxError {
  return new ConfluxError('ADAPTER_XML_INVALID', `XML document ${problem}.`, {
    details: { ...details, retryable: false },
    ...(cause === undefined ? {} : { cause }),
  });
}
