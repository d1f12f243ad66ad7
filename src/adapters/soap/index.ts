export {
  buildEnvelope,
  buildFault,
  ENVELOPE_NS,
  parseEnvelope,
  type SoapFault,
  type SoapMessage,
  soapHeaders,
} from './envelope.ts';
export { readWsdl } from './read-wsdl.ts';
export {
  type SoapService,
  SoapServiceFault,
  type SoapServiceOptions,
  startSoapService,
} from './soap-service.ts';
export type { SoapBinding, SoapElement, WsdlDocument, WsdlOperation } from './types.ts';
