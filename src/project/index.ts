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
  ApiRegistration,
  ApiVersionDefinition,
  ApiVersioning,
  CircuitBreakerSettings,
  CompositeCall,
  CompositeTarget,
  FlowControl,
  FlowDefinition,
  JsonSchema,
  MappingDefinition,
  MockTarget,
  OAuth2AuthorizationCodeAuth,
  OAuth2ClientCredentialsAuth,
  PolicySettings,
  Project,
  ProjectProblem,
  ProjectSettings,
  ResilienceSettings,
  RetrySettings,
  RouteDefinition,
  RouteTarget,
  SourceLocation,
  StepDefinition,
  SystemAuth,
  SystemDefinition,
  SystemLimits,
  SystemPagination,
  TokenAuth,
  TriggerDefinition,
  VersioningScheme,
  WebhookSignature,
} from './model.ts';
export type * from './policy-settings.ts';
export { type ScaffoldOptions, type ScaffoldResult, scaffoldProject } from './scaffold-project.ts';
export { schemaIds, schemasDirectory } from './schema-registry.ts';
export { type ProjectWatcher, type WatchOptions, watchProject } from './watch-project.ts';
