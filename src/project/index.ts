export {
  describeProblem,
  type FormatOptions,
  formatProblems,
  type ProblemReport,
  toProblemReport,
} from './format-problems.ts';
export {
  type LoadProjectOptions,
  type LoadProjectResult,
  loadProject,
  PROJECT_FILE,
} from './load-project.ts';
export type {
  ApiDefinition,
  FlowDefinition,
  JsonSchema,
  MappingDefinition,
  PolicySettings,
  ApiVersionDefinition,
  ApiVersioning,
  CircuitBreakerSettings,
  CompositeCall,
  CompositeTarget,
  MockTarget,
  ResilienceSettings,
  RetrySettings,
  VersioningScheme,
  Project,
  ProjectProblem,
  ProjectSettings,
  RouteDefinition,
  RouteTarget,
  SourceLocation,
  StepDefinition,
  SystemAuth,
  SystemDefinition,
  SystemPagination,
  OAuth2AuthorizationCodeAuth,
  OAuth2ClientCredentialsAuth,
  TriggerDefinition,
  WebhookSignature,
  FlowControl,
  TokenAuth,
} from './model.ts';
export type * from './policy-settings.ts';
export { type ScaffoldOptions, type ScaffoldResult, scaffoldProject } from './scaffold-project.ts';
export { schemaIds, schemasDirectory } from './schema-registry.ts';
export { type ProjectWatcher, type WatchOptions, watchProject } from './watch-project.ts';
