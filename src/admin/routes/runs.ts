import type { FastifyInstance } from 'fastify';
import { ConfluxError } from '../../errors/index.ts';
import type { CollectedTrigger, RunFilter, RunRecord, RunStatus, StepRecord } from '../../store/index.ts';
import type { AdminDependencies } from '../ports.ts';

const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'dead'] as const;
const anyJson = {} as const;
const runSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    flow: { type: 'string' },
    flowVersion: { type: 'string', description: 'The version hash the run executes on' },
    status: { type: 'string', enum: RUN_STATUSES },
    triggerType: { type: 'string' },
    correlationId: { type: 'string', description: 'Links the run to gateway requests and upstream calls' },
    attempts: { type: 'integer', description: 'How often the run was claimed' },
    replays: { type: 'integer', description: 'How often the run was replayed from the dead letter' },
    input: anyJson,
    output: anyJson,
    error: anyJson,
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    finishedAt: { type: ['string', 'null'] },
  },
} as const;

/** The history filters, as query parameters (list) and as the bulk replay's `filter`. */
const filterProperties = {
  flow: { type: 'string' },
  status: { type: 'string', enum: RUN_STATUSES },
  correlationId: { type: 'string' },
  flowVersion: { type: 'string' },
  triggerType: { type: 'string' },
  since: { type: 'string', format: 'date-time', description: 'Created at or after' },
  until: { type: 'string', format: 'date-time', description: 'Created before' },
} as const;

interface FilterQuery {
  flow?: string;
  status?: RunStatus;
  correlationId?: string;
  flowVersion?: string;
  triggerType?: string;
  since?: string;
  until?: string;
}

function toFilter(query: FilterQuery): Omit<RunFilter, 'limit' | 'before'> {
  const { since, until, ...rest } = query;
  return {
    ...rest,
    ...(since === undefined ? {} : { createdAfter: Date.parse(since) }),
    ...(until === undefined ? {} : { createdBefore: Date.parse(until) }),
  };
}

export function registerRunRoutes(app: FastifyInstance, deps: AdminDependencies): void {
  app.get<{ Querystring: FilterQuery & { limit?: number; before?: string } }>(
    '/api/v1/runs',
    {
      schema: {
        operationId: 'listRuns',
        summary: 'List runs, newest first, filtered, with cursor paging',
        tags: ['runs'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...filterProperties,
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            before: { type: 'string', description: 'The `next` cursor of the previous page' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: runSchema }, next: { type: ['string', 'null'] } },
          },
        },
      },
    },
    async (request) => {
      const { limit, before, ...filter } = request.query;
      const page = await deps.runs.list({
        ...toFilter(filter),
        ...(limit === undefined ? {} : { limit }),
        ...(before === undefined ? {} : { before }),
      });
      return { items: page.runs.map(presentRun), next: page.next };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/runs/:id',
    {
      schema: {
        operationId: 'getRun',
        summary: 'One run with every checkpointed step (input, output, duration, attempts, error)',
        tags: ['runs'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        response: {
          200: {
            type: 'object',
            additionalProperties: true,
            properties: {
              ...runSchema.properties,
              steps: { type: 'array', items: { type: 'object', additionalProperties: true } },
              collected: {
                type: 'array',
                description:
                  'Debounce and batching: the triggers this run collected, in arrival order, superseded ones included',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    seq: { type: 'integer' },
                    status: { type: 'string', enum: ['pending', 'superseded', 'started'] },
                    supersededBy: { type: ['string', 'null'] },
                    input: anyJson,
                    receivedAt: { type: 'string' },
                    settledAt: { type: ['string', 'null'] },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const run = await deps.runs.get(request.params.id);
      if (run === undefined)
        throw new ConfluxError('ENGINE_RUN_NOT_FOUND', `No run with id ${request.params.id}.`, {
          details: { runId: request.params.id },
        });
      const [steps, collected] = await Promise.all([
        deps.runs.listSteps(run.id),
        deps.collectedTriggers(run.id),
      ]);
      return {
        ...presentRun(run),
        steps: steps.map(presentStep),
        ...(collected.length === 0 ? {} : { collected: collected.map(presentCollected) }),
      };
    },
  );

  app.post<{ Params: { id: string }; Body: { fromFailedStep?: boolean; input?: unknown } | undefined }>(
    '/api/v1/runs/:id/replay',
    {
      schema: {
        operationId: 'replayRun',
        summary: 'Replay a dead or failed run, by default from its failed step',
        tags: ['runs'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { fromFailedStep: { type: 'boolean', default: true }, input: anyJson },
        },
        response: { 202: runSchema },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const run = await deps.replayRun(request.params.id, {
        fromFailedStep: body.fromFailedStep ?? true,
        ...(body.input === undefined ? {} : { input: body.input }),
      });
      deps.logger.info(
        { runId: run.id, replays: run.replays, correlationId: request.id },
        'run replayed from the dead letter',
      );
      return reply.status(202).send(presentRun(run));
    },
  );

  app.post<{ Body: { filter?: FilterQuery; fromFailedStep?: boolean; limit?: number } | undefined }>(
    '/api/v1/runs/replay',
    {
      schema: {
        operationId: 'replayRuns',
        summary: 'Replay every dead run matching a filter (bulk), oldest first',
        tags: ['runs'],
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            filter: { type: 'object', additionalProperties: false, properties: filterProperties },
            fromFailedStep: { type: 'boolean', default: true },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 1000 },
          },
        },
        response: {
          202: {
            type: 'object',
            properties: {
              replayed: { type: 'array', items: { type: 'string' } },
              skipped: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const result = await deps.replayRuns(
        toFilter(body.filter ?? {}),
        { fromFailedStep: body.fromFailedStep ?? true },
        body.limit ?? 1000,
      );
      deps.logger.info(
        { replayed: result.replayed.length, skipped: result.skipped.length, correlationId: request.id },
        'bulk replay',
      );
      return reply.status(202).send(result);
    },
  );
}

function isoTime(millis: number | null): string | null {
  return millis === null ? null : new Date(millis).toISOString();
}

function presentRun(run: RunRecord): object {
  return {
    id: run.id,
    flow: run.flow,
    flowVersion: run.flowVersion,
    status: run.status,
    triggerType: run.triggerType,
    correlationId: run.correlationId,
    attempts: run.attempts,
    replays: run.replays,
    input: run.input,
    output: run.output,
    error: run.error,
    createdAt: new Date(run.createdAt).toISOString(),
    updatedAt: new Date(run.updatedAt).toISOString(),
    finishedAt: isoTime(run.finishedAt),
  };
}

function presentStep(step: StepRecord): object {
  return {
    stepId: step.stepId,
    status: step.status,
    attempts: step.attempts,
    input: step.input,
    output: step.output,
    error: step.error,
    startedAt: new Date(step.startedAt).toISOString(),
    durationMs: step.finishedAt - step.startedAt,
  };
}

function presentCollected(trigger: CollectedTrigger): object {
  return {
    id: trigger.id,
    seq: trigger.seq,
    status: trigger.status,
    supersededBy: trigger.supersededBy,
    input: trigger.input,
    receivedAt: new Date(trigger.createdAt).toISOString(),
    settledAt: isoTime(trigger.settledAt),
  };
}
