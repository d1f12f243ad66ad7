import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every metric Conflux exports, created once per process on one registry. Modules receive the
 * object and record; nobody creates metrics elsewhere, so names and labels stay consistent.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'listener' | 'api' | 'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'listener' | 'api' | 'route'>;
  readonly upstreamDuration: Histogram<'system' | 'outcome'>;
  readonly runs: Counter<'flow' | 'status'>;
  readonly runDuration: Histogram<'flow'>;
  readonly stepDuration: Histogram<'flow' | 'step' | 'outcome'>;
  readonly queueDepth: Gauge<'status'>;
  readonly projectReloads: Counter<'outcome'>;
  /** Gateway policies: checks that fell back to the local limiter because Redis failed. */
  readonly rateLimitBackendErrors: Counter<'backend'>;
  /** Gateway policies: response cache lookups by API and outcome (hit, miss). */
  readonly cacheLookups: Counter<'api' | 'outcome'>;
  /** Upstream budgets: time calls waited for room in their system's budget. */
  readonly budgetWait: Histogram<'system'>;
  /** Upstream budgets: calls that had to wait, by what held them first (rate, concurrency, paused). */
  readonly budgetThrottled: Counter<'system' | 'reason'>;
  /** Upstream budgets: calls that gave up after waiting their whole timeout. */
  readonly budgetExhausted: Counter<'system'>;
  /** Upstream budgets: answers (429, 503 with Retry-After) that paused a system's budget. */
  readonly budgetPauses: Counter<'system'>;
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'conflux_process_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'conflux_http_requests_total',
      help: 'HTTP requests answered, by listener, API, route template, method and status',
      labelNames: ['listener', 'api', 'route', 'method', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'conflux_http_request_duration_seconds',
      help: 'Time from request start to response end',
      labelNames: ['listener', 'api', 'route'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    upstreamDuration: new Histogram({
      name: 'conflux_upstream_duration_seconds',
      help: 'Time of calls to systems, by system and outcome (ok, error, timeout)',
      labelNames: ['system', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    runs: new Counter({
      name: 'conflux_runs_total',
      help: 'Flow runs finished, by flow and final status',
      labelNames: ['flow', 'status'],
      registers,
    }),
    runDuration: new Histogram({
      name: 'conflux_run_duration_seconds',
      help: 'Time from run creation to its end',
      labelNames: ['flow'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    stepDuration: new Histogram({
      name: 'conflux_step_duration_seconds',
      help: 'Time of one step attempt, by flow, step and outcome',
      labelNames: ['flow', 'step', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    queueDepth: new Gauge({
      name: 'conflux_queue_runs',
      help: 'Runs in the store by status (sampled)',
      labelNames: ['status'],
      registers,
    }),
    projectReloads: new Counter({
      name: 'conflux_project_reloads_total',
      help: 'Hot reloads of the project, by outcome (applied, rejected)',
      labelNames: ['outcome'],
      registers,
    }),
    rateLimitBackendErrors: new Counter({
      name: 'conflux_ratelimit_backend_errors_total',
      help: 'Rate-limit checks that failed on the shared backend and fell open onto the local limiter',
      labelNames: ['backend'],
      registers,
    }),
    cacheLookups: new Counter({
      name: 'conflux_cache_lookups_total',
      help: 'Gateway response cache lookups, by API and outcome (hit, miss)',
      labelNames: ['api', 'outcome'],
      registers,
    }),
    budgetWait: new Histogram({
      name: 'conflux_upstream_budget_wait_seconds',
      help: "Time calls waited for room in their system's upstream budget",
      labelNames: ['system'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    budgetThrottled: new Counter({
      name: 'conflux_upstream_budget_throttled_total',
      help: 'Calls that waited for their upstream budget, by what held them (rate, concurrency, paused)',
      labelNames: ['system', 'reason'],
      registers,
    }),
    budgetExhausted: new Counter({
      name: 'conflux_upstream_budget_exhausted_total',
      help: 'Calls that found no room in their upstream budget within their timeout',
      labelNames: ['system'],
      registers,
    }),
    budgetPauses: new Counter({
      name: 'conflux_upstream_budget_pauses_total',
      help: 'Answers (429, 503 with Retry-After) that paused a system budget',
      labelNames: ['system'],
      registers,
    }),
  };
}
