/** How one WSDL operation goes on the wire: what the SOAP adapter needs to call or serve it. */
export interface SoapBinding {
  readonly version: '1.1' | '1.2';
  /** SOAPAction (1.1 header; 1.2 `action` media-type parameter); may be empty. */
  readonly action: string;
  readonly style: 'document' | 'rpc';
  /** The Body's child element of the request: namespace, local name, and whether children are qualified. */
  readonly request: SoapElement;
  /** The Body's child element of the answer; absent for one-way operations. */
  readonly response?: SoapElement;
}

export interface SoapElement {
  readonly name: string;
  readonly namespace: string;
  readonly qualified: boolean;
}

export interface WsdlOperation {
  readonly name: string;
  readonly documentation?: string;
  readonly binding: SoapBinding;
  readonly inputSchema: Record<string, unknown>;
  readonly outputSchema?: Record<string, unknown>;
  /** JSON pointer of the portType operation, for warnings and docs. */
  readonly pointer: string;
}

export interface WsdlDocument {
  readonly name: string;
  readonly targetNamespace: string;
  /** soap:address locations of the chosen binding's ports. */
  readonly endpoints: readonly string[];
  readonly operations: readonly WsdlOperation[];
  /** Operations the portTypes declare, whatever their binding: what an import should account for. */
  readonly declaredOperations: number;
  readonly warnings: readonly { readonly pointer: string; readonly message: string }[];
}
