export { buildXml } from './build-xml.ts';
export { type ParseXmlOptions, parseXml, type XmlLimits } from './parse-xml.ts';
