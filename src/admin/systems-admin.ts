/**
 * What the admin API reads about the project's systems (wired by the composition root): where
 * each lives, how it authenticates (the kind only: never a secret, nor a secret's name), how
 * many operations it has, the health of its credentials, and the drift of its answers.
 */
export interface SystemsAdmin {
  list(): readonly SystemSummary[];
  /** Undefined for an unknown system. */
  get(name: string): Promise<SystemDetail | undefined>;
  /** Drift per operation; undefined for an unknown system. */
  drift(name: string): readonly OperationDriftReport[] | undefined;
}

export interface SystemSummary {
  readonly name: string;
  readonly description?: string;
  /** The description's kind: openapi, asyncapi, wsdl or fhir. */
  readonly kind: string;
  /** The environment's base URL, or `mock` when served from the description. */
  readonly baseUrl: string;
  /** `none`, `apiKey`, `basic`, `bearer`, `oauth2ClientCredentials`, `oauth2AuthorizationCode`, `hmac`, `mtls`. */
  readonly auth: string;
  readonly operations: number;
  readonly health: {
    readonly state: 'ok' | 'expiring' | 'invalid' | 'unknown';
    readonly reason?: string;
    readonly since: string;
  };
}

export interface SystemDetail extends SystemSummary {
  /** Flows paused because this system's credentials are invalid. */
  readonly pausedFlows: readonly string[];
  /** Operations whose answers drifted from the description, of those checked. */
  readonly drift: { readonly operations: number; readonly drifted: number };
}

export interface OperationDriftReport {
  readonly operation: string;
  readonly drifted: number;
  readonly checked: number;
  readonly findings: readonly {
    /** JSON pointer of the offending place in the answer, e.g. `/items/0/price`. */
    readonly pointer: string;
    readonly kind: 'new' | 'missing' | 'retyped';
    readonly count: number;
    readonly sample?: unknown;
    readonly expected?: string;
    readonly firstSeen: string;
    readonly lastSeen: string;
  }[];
}
