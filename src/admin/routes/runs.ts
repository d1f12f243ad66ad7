import type { FastifyInstance } from 'fastify';
import { ConfluxError } from '../../errors/index.ts';
import type { RunRecord, RunStatus, StepRecord } from '../../store/index.ts';
import type { AdminDependencies } from '../ports.ts';

const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'dead'] as const;
const anyJson = {} as const;
const runSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    flow: { type: 'string' },
    flowVersion: { type: 'string' },
    status: { type: 'string', enum: RUN_STATUSES },
    triggerType: { type: 'string' },
    correlationId: { type: 'string' },
    attempts: { type: 'integer' },
    input: anyJson,
    output: anyJson,
    error: anyJson,
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    finishedAt: { type: ['string', 'null'] },
  },
} as const;

export function registerRunRoutes(app: FastifyInstance, deps: AdminDependencies): void {
  app.get<{ Querystring: { flow?: string; status?: RunStatus; limit?: number; before?: string } }>(
    '/api/v1/runs',
    {
      schema: {
        operationId: 'listRuns',
        summary: 'List runs, newest first, with cursor paging',
        tags: ['runs'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            flow: { type: 'string' },
            status: { type: 'string', enum: RUN_STATUSES },
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
      const page = await deps.runs.list(request.query);
      return { items: page.runs.map(presentRun), next: page.next };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/runs/:id',
    {
      schema: {
        operationId: 'getRun',
        summary: 'One run with every checkpointed step',
        tags: ['runs'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        response: {
          200: {
            type: 'object',
            additionalProperties: true,
            properties: { ...runSchema.properties, steps: { type: 'array', items: { type: 'object', additionalProperties: true } } },
          },
        },
      },
    },
    async (request) => {
      const run = await deps.runs.get(request.params.id);
      if (run === undefined) throw new ConfluxError('ENGINE_RUN_NOT_FOUND', `No run with id ${request.params.id}.`);
      const steps = await deps.runs.listSteps(run.id);
      return { ...presentRun(run), steps: steps.map(presentStep) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/runs/:id/replay',
    {
      schema: {
        operationId: 'replayRun',
        summary: "Start a new run of the same flow with this run's input",
        tags: ['runs'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        response: { 202: { type: 'object', properties: { runId: { type: 'string' } } } },
      },
    },
    async (request, reply) => reply.status(202).send(await deps.replayRun(request.params.id, request.id)),
  );
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
    input: run.input,
    output: run.output,
    error: run.error,
    createdAt: new Date(run.createdAt).toISOString(),
    updatedAt: new Date(run.updatedAt).toISOString(),
    finishedAt: run.finishedAt === null ? null : new Date(run.finishedAt).toISOString(),
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
