import { XMLBuilder } from 'fast-xml-parser';

/**
 * Writes plain JSON as XML: keys become elements, arrays repeat their element, `@_name` keys
 * become attributes and `#text` the element's text. Text is always escaped.
 */
export function buildXml(
  value: Record<string, unknown>,
  options: { readonly pretty?: boolean } = {},
): string {
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: options.pretty === true,
    suppressEmptyNode: true,
    processEntities: true,
  });
  return builder.build(value) as string;
}
