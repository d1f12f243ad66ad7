/**
 * The shapes of the project files as written, after they passed their JSON Schema. Optional
 * fields are filled with their defaults when the model is built (build-*.ts), so the schemas'
 * `default` annotations and these builders must agree; docs/project-files.md lists both.
 */

export interface ConfluxFile {
  readonly name: string;
  readonly environment?: string;
  readonly gateway?: { readonly host?: string; readonly port?: number };
  readonly admin?: { readonly host?: string; readonly port?: number };
  readonly shutdown?: { readonly timeoutMs?: number };
}

export interface RetryFile {
  readonly attempts?: number;
  readonly backoffMs?: number;
}

export type SystemAuthFile =
  | { readonly type: 'none' }
  | {
      readonly type: 'apiKey';
      readonly in: 'header' | 'query';
      readonly name: string;
      readonly secret: string;
    }
  | { readonly type: 'bearer'; readonly secret: string }
  | { readonly type: 'basic'; readonly username: string; readonly secret: string };

export interface SystemFile {
  readonly name: string;
  readonly description?: string;
  readonly openapi: string;
  readonly baseUrl?: string;
  readonly baseUrls?: Readonly<Record<string, string>>;
  readonly auth?: SystemAuthFile;
  readonly timeoutMs?: number;
  readonly retry?: RetryFile;
}

export interface RouteFile {
  readonly method: string;
  readonly path: string;
  readonly description?: string;
  readonly flow?: string;
  readonly system?: string;
  readonly operation?: string;
  readonly url?: string;
}

export interface ApiFile {
  readonly name: string;
  readonly description?: string;
  readonly basePath?: string;
  readonly visibility?: 'private' | 'partner' | 'public';
  readonly auth?: { readonly type: 'apiKey'; readonly header?: string } | { readonly type: 'none' };
  readonly routes: readonly RouteFile[];
}

export type TriggerFile =
  | { readonly type: 'webhook'; readonly path?: string; readonly mode?: 'sync' | 'async' }
  | { readonly type: 'schedule'; readonly cron: string; readonly timezone?: string; readonly input?: string };

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
    };

export interface FlowFile {
  readonly name: string;
  readonly description?: string;
  readonly triggers?: readonly TriggerFile[];
  readonly retry?: RetryFile;
  readonly steps: readonly StepFile[];
  readonly output?: string;
}
