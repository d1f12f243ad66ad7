/**
 * The project model: what the YAML files of a project say, after validation against
 * schemas/*.schema.json and reference resolution. Every other module reads the project only
 * through these types; they are frozen once loaded.
 *
 * Every entity records `source` (file, line, column) so that runtime errors can point back
 * at the line that configured them.
 */

export interface SourceLocation {
  /** Path relative to the project root, e.g. `flows/place-order.yaml`. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface ProjectSettings {
  readonly name: string;
  readonly gateway: { readonly host: string; readonly port: number };
  readonly admin: { readonly host: string; readonly port: number };
  /** Milliseconds SIGTERM may take to drain requests and steps before the process exits. */
  readonly shutdownTimeoutMs: number;
  /** Which `baseUrls` entry of each system applies (dev, staging, prod...). */
  readonly environment: string;
}

export type SystemAuth =
  | { readonly type: 'none' }
  | {
      readonly type: 'apiKey';
      readonly in: 'header' | 'query';
      readonly name: string;
      readonly secret: string;
    }
  | { readonly type: 'bearer'; readonly secret: string }
  | { readonly type: 'basic'; readonly username: string; readonly secret: string };

export interface SystemDefinition {
  readonly name: string;
  readonly description?: string;
  /** Absolute path of the system's API description (OpenAPI 2/3.x). */
  readonly descriptionFile: string;
  /**
   * Where the system lives. `mock` serves it in-process from its description (on an
   * ephemeral loopback port), which is how the demo and local development run.
   */
  readonly baseUrl: string | 'mock';
  readonly auth: SystemAuth;
  readonly timeoutMs: number;
  readonly retry: { readonly attempts: number; readonly backoffMs: number };
  readonly source: SourceLocation;
}

export type RouteTarget =
  | { readonly kind: 'flow'; readonly flow: string }
  | { readonly kind: 'operation'; readonly system: string; readonly operation: string }
  | { readonly kind: 'url'; readonly url: string };

export interface RouteDefinition {
  readonly method: string;
  /** Path template relative to the API's basePath, e.g. `/orders/{id}`. */
  readonly path: string;
  readonly target: RouteTarget;
  readonly source: SourceLocation;
}

export interface ApiDefinition {
  readonly name: string;
  /** Prefix for every route, e.g. `/v1`. */
  readonly basePath: string;
  readonly visibility: 'private' | 'partner' | 'public';
  readonly auth: { readonly type: 'apiKey'; readonly header: string } | { readonly type: 'none' };
  readonly routes: readonly RouteDefinition[];
  readonly source: SourceLocation;
}

export type TriggerDefinition =
  | {
      readonly type: 'webhook';
      /** Path under `/hooks/` on the gateway port. */
      readonly path: string;
      /** `sync` waits for the run and answers its output; `async` answers 202 with the run id. */
      readonly mode: 'sync' | 'async';
      readonly source: SourceLocation;
    }
  | {
      readonly type: 'schedule';
      readonly cron: string;
      readonly timezone: string;
      /** The trigger data each scheduled run starts with (a JSONata expression, evaluated per fire). */
      readonly input?: string;
      readonly source: SourceLocation;
    };

export type StepDefinition =
  | {
      readonly id: string;
      readonly type: 'map';
      /** JSONata expression, inline or loaded from `mappings/<name>.jsonata`. */
      readonly expression: string;
      readonly mapping?: string;
      readonly source: SourceLocation;
    }
  | {
      readonly id: string;
      readonly type: 'call';
      readonly system: string;
      readonly operation: string;
      /**
       * JSONata expression yielding the operation input: an object whose keys name the
       * operation's parameters (path, query, header) plus `body`.
       */
      readonly input?: string;
      readonly source: SourceLocation;
    };

export interface FlowDefinition {
  readonly name: string;
  readonly description?: string;
  readonly triggers: readonly TriggerDefinition[];
  readonly steps: readonly StepDefinition[];
  /** JSONata expression over `{ trigger, steps }` giving the run's output (the sync response). */
  readonly output?: string;
  readonly retry: { readonly attempts: number; readonly backoffMs: number };
  /** Hash of the flow's definition; a changed file makes a new version. */
  readonly version: string;
  readonly source: SourceLocation;
}

export interface MappingDefinition {
  readonly name: string;
  readonly expression: string;
  readonly source: SourceLocation;
}

export interface Project {
  /** Absolute path of the project folder. */
  readonly root: string;
  readonly settings: ProjectSettings;
  readonly systems: ReadonlyMap<string, SystemDefinition>;
  readonly apis: ReadonlyMap<string, ApiDefinition>;
  readonly flows: ReadonlyMap<string, FlowDefinition>;
  readonly mappings: ReadonlyMap<string, MappingDefinition>;
}

/** One problem found while loading a project, located precisely. */
export interface ProjectProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Stable code, e.g. `schema`, `yaml`, `reference`, `duplicate`. */
  readonly rule: string;
  readonly message: string;
  /** What was found at that place, rendered short. */
  readonly found?: string;
  /** What the schema or reference rule expected. */
  readonly expected?: string;
}

/** A JSON Schema (draft 2020-12 or OpenAPI's dialect of it), as plain data. */
export type JsonSchema = { readonly [keyword: string]: unknown } | boolean;
