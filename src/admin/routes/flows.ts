import type { FastifyInstance } from 'fastify';
import { ConfluxError } from '../../errors/index.ts';
import type { AdminDependencies } from '../ports.ts';

const nameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' } },
} as const;

/** Flows for operators: current version, stored versions, pause and resume, claim-check payloads. */
export function registerFlowRoutes(app: FastifyInstance, deps: AdminDependencies): void {
  app.get(
    '/api/v1/flows',
    {
      schema: {
        operationId: 'listFlows',
        summary: 'Loaded flows with their current version and whether they are paused',
        tags: ['flows'],
      },
    },
    async () => ({
      items: (await deps.flows.list()).map((flow) => ({
        ...flow,
        pausedAt: flow.pausedAt === null ? null : new Date(flow.pausedAt).toISOString(),
      })),
    }),
  );

  app.get<{ Params: { name: string } }>(
    '/api/v1/flows/:name/versions',
    {
      schema: {
        operationId: 'listFlowVersions',
        summary: 'Every stored version of a flow, newest first',
        tags: ['flows'],
        params: nameParams,
      },
    },
    async (request) => ({
      items: (await deps.flows.versions(request.params.name)).map((version) => ({
        id: version.id,
        flow: version.flow,
        createdAt: new Date(version.createdAt).toISOString(),
      })),
    }),
  );

  app.get<{ Params: { name: string; id: string } }>(
    '/api/v1/flows/:name/versions/:id',
    {
      schema: {
        operationId: 'getFlowVersion',
        summary: 'The definition a version ran with',
        tags: ['flows'],
        params: {
          type: 'object',
          required: ['name', 'id'],
          properties: { name: nameParams.properties.name, id: { type: 'string' } },
        },
      },
    },
    async (request) => {
      const version = await deps.flows.version(request.params.name, request.params.id);
      if (version === undefined) {
        throw new ConfluxError(
          'STORE_NOT_FOUND',
          `Flow ${request.params.name} has no stored version ${request.params.id}.`,
          { details: { flow: request.params.name, version: request.params.id } },
        );
      }
      return { ...version, createdAt: new Date(version.createdAt).toISOString() };
    },
  );

  app.post<{ Params: { name: string }; Body: { reason?: string } | undefined }>(
    '/api/v1/flows/:name/pause',
    {
      schema: {
        operationId: 'pauseFlow',
        summary: 'Pause a flow: new triggers are accepted and queued, but no run of it is claimed',
        tags: ['flows'],
        params: nameParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { reason: { type: 'string', maxLength: 500 } },
        },
      },
    },
    async (request) => {
      const changed = await deps.flows.pause(request.params.name, request.body?.reason ?? null);
      deps.logger.info({ flow: request.params.name, changed, correlationId: request.id }, 'flow paused');
      return { flow: request.params.name, paused: true, changed };
    },
  );

  app.post<{ Params: { name: string } }>(
    '/api/v1/flows/:name/resume',
    {
      schema: {
        operationId: 'resumeFlow',
        summary: 'Resume a paused flow; its queued runs are claimed again',
        tags: ['flows'],
        params: nameParams,
      },
    },
    async (request) => {
      const changed = await deps.flows.resume(request.params.name);
      deps.logger.info({ flow: request.params.name, changed, correlationId: request.id }, 'flow resumed');
      return { flow: request.params.name, paused: false, changed };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/payloads/:id',
    {
      schema: {
        operationId: 'getPayload',
        summary: 'A claim-check payload referenced from a run or step as {"$payload": id}',
        tags: ['runs'],
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
        },
      },
    },
    async (request) => {
      const value = await deps.flows.payload(request.params.id);
      if (value === undefined) {
        throw new ConfluxError('STORE_NOT_FOUND', `No payload ${request.params.id}.`, {
          details: { payload: request.params.id },
        });
      }
      return value;
    },
  );
}
