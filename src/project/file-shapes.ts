/**
 * The shapes of the project files as written, after they passed their JSON Schema. Optional
 * fields are filled with their defaults when the model is built (build-*.ts), so the schemas'
 * `default` annotations and these builders must agree; docs/project-files.md lists both.
 */

import type { ApiRoutingFile, RouteRoutingFile } from './api-routing.ts';
import type {
  ExtraStepFile,
  ExtraTriggerFile,
  FlowControlFile,
  WebhookSignatureFile,
} from './build-flow-kinds.ts';
import type { SystemLimits, SystemPagination } from './model.ts';
import type { PolicySettings } from './policy-settings.ts';

export interface ConfluxFile {
  readonly name: string;
  readonly environment?: string;
  readonly gateway?: { readonly host?: string; readonly port?: number };
  readonly admin?: { readonly host?: string; readonly port?: number };
  readonly shutdown?: { readonly timeoutMs?: number };
  readonly reload?: { readonly conformance?: boolean };
  /** How long finished runs are kept, per status: `7d`, `12h`, `30m`, `45s`. */
  readonly retention?: { readonly succeeded?: string; readonly failed?: string; readonly dead?: string };
}

export interface RetryFile {
  readonly attempts?: number;
  readonly backoffMs?: number;
}

export type SystemAuthFile =
  | { readonly type: 'none' }
  | {
      readonly type: 'apiKey';
      readonly in: 'header' | 'query' | 'cookie';
      readonly name: string;
      readonly secret: string;
    }
  | { readonly type: 'bearer'; readonly secret: string }
  | { readonly type: 'basic'; readonly username: string; readonly secret: string }
  | {
      readonly type: 'oauth2ClientCredentials';
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly secret: string;
      readonly scopes?: readonly string[];
      readonly audience?: string;
      readonly refreshBeforeSeconds?: number;
    }
  | {
      readonly type: 'oauth2AuthorizationCode';
      readonly authorizeUrl: string;
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly secret?: string;
      readonly scopes?: readonly string[];
      readonly refreshBeforeSeconds?: number;
    }
  | {
      readonly type: 'hmac';
      readonly secret: string;
      readonly header?: string;
      readonly algorithm?: 'sha256' | 'sha512';
      readonly timestampHeader?: string;
    }
  | { readonly type: 'mtls'; readonly cert: string; readonly key: string; readonly ca?: string };

export interface SystemFile {
  readonly name: string;
  readonly description?: string;
  readonly openapi?: string;
  readonly asyncapi?: string;
  readonly wsdl?: string;
  /** A FHIR R4 CapabilityStatement (JSON or YAML): the system is a FHIR server. */
  readonly fhir?: string;
  readonly baseUrl?: string;
  readonly baseUrls?: Readonly<Record<string, string>>;
  readonly auth?: SystemAuthFile;
  readonly timeoutMs?: number;
  readonly retry?: RetryFile;
  readonly pagination?: Readonly<Record<string, SystemPagination>>;
  readonly responseValidation?: 'off' | 'warn' | 'fail';
  readonly limits?: SystemLimits;
}

export interface RouteFile extends RouteRoutingFile {
  readonly method: string;
  readonly path: string;
  readonly description?: string;
  readonly flow?: string;
  readonly system?: string;
  readonly operation?: string;
  readonly url?: string;
  readonly policies?: PolicySettings;
}

export interface ApiFile extends ApiRoutingFile {
  readonly name: string;
  readonly description?: string;
  readonly basePath?: string;
  readonly visibility?: 'private' | 'partner' | 'public';
  readonly auth?:
    | { readonly type: 'apiKey'; readonly header?: string }
    | { readonly type: 'none' }
    | TokenAuthFile;
  readonly routes: readonly RouteFile[];
  readonly policies?: PolicySettings;
}

export type TriggerFile =
  | {
      readonly type: 'webhook';
      readonly path?: string;
      readonly mode?: 'sync' | 'async';
      readonly signature?: WebhookSignatureFile;
    }
  | { readonly type: 'schedule'; readonly cron: string; readonly timezone?: string; readonly input?: string }
  | ExtraTriggerFile;

export type StepFile =
  | {
      readonly id: string;
      readonly type: 'map';
      readonly description?: string;
      readonly mapping?: string;
      readonly expression?: string;
    }
  | {
      readonly id: string;
      readonly type: 'call';
      readonly description?: string;
      readonly system: string;
      readonly operation: string;
      readonly input?: string;
      readonly retry?: RetryFile;
      readonly compensate?: { readonly system: string; readonly operation: string; readonly input?: string };
    }
  | ExtraStepFile;

export interface FlowFile {
  readonly name: string;
  readonly description?: string;
  readonly triggers?: readonly TriggerFile[];
  readonly retry?: RetryFile;
  readonly steps: readonly StepFile[];
  readonly output?: string;
  readonly control?: FlowControlFile;
}

/** `auth: { type: oauth2 | jwt }`: bearer JWT access tokens (docs/identity.md). */
export interface TokenAuthFile {
  readonly type: 'oauth2' | 'jwt';
  readonly issuer?: string;
  readonly jwksUri?: string;
  readonly audience?: string;
  readonly algorithms?: readonly string[];
  readonly scopes?: readonly string[];
  readonly routeScopes?: Readonly<Record<string, readonly string[]>>;
  readonly forwardIdentity?: 'strip' | 'signed';
}
