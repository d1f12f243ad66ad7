/**
 * The slice of oidc-provider 9 that Conflux uses (the package ships no types). Kept narrow on
 * purpose: everything else goes through its documented configuration object.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface KoaContextLike {
    readonly method: string;
    readonly path: string;
    readonly ip: string;
    readonly query: Record<string, unknown>;
    readonly headers: Record<string, string | string[] | undefined>;
    status: number;
    body: unknown;
    set(name: string, value: string): void;
    readonly request: { readonly body?: Record<string, unknown> };
    readonly oidc?: {
      readonly client?: { readonly clientId: string; readonly metadata: () => Record<string, unknown> };
      /** The request's parameters, once the route assembled them. */
      readonly params?: Record<string, unknown>;
    };
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface InteractionDetails {
    readonly uid: string;
    readonly prompt: { readonly name: string; readonly details: Record<string, unknown> };
    readonly params: Record<string, unknown>;
    readonly session?: { readonly accountId?: string };
    readonly grantId?: string;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly issuer: string;
    proxy: boolean;
    Grant: new (init: {
      accountId: string;
      clientId: string;
    }) => Grant;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: (ctx: KoaContextLike, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error;
    InvalidScope: new (description?: string, scope?: string) => Error;
  };
}
