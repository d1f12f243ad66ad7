import type { FastifyInstance } from 'fastify';
import { ROLES } from '../../identity/index.ts';
import type { AuditFilter, AuditRecord } from '../../store/index.ts';
import type { IdentityAdmin } from '../identity-admin.ts';

interface AuditQuery {
  actor?: string;
  actorType?: string;
  action?: string;
  subject?: string;
  correlationId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
  format?: 'json' | 'jsonl';
}

const query = {
  type: 'object',
  additionalProperties: false,
  properties: {
    actor: { type: 'string' },
    actorType: { type: 'string' },
    action: { type: 'string' },
    subject: { type: 'string' },
    correlationId: { type: 'string' },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    cursor: { type: 'string', description: 'The `next` of the previous page' },
    format: { enum: ['json', 'jsonl'], default: 'json' },
  },
} as const;

function present(record: AuditRecord): object {
  return { ...record, at: new Date(record.at).toISOString() };
}

function filterOf(q: AuditQuery): AuditFilter {
  const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  return {
    ...(q.actor === undefined ? {} : { actor: q.actor }),
    ...(q.actorType === undefined ? {} : { actorType: q.actorType }),
    ...(q.action === undefined ? {} : { action: q.action }),
    ...(q.subject === undefined ? {} : { subject: q.subject }),
    ...(q.correlationId === undefined ? {} : { correlationId: q.correlationId }),
    ...(q.from === undefined ? {} : { from: Date.parse(q.from) }),
    ...(q.to === undefined ? {} : { to: Date.parse(q.to) }),
    ...(cursor === undefined ? {} : { after: cursor }),
  };
}

function decodeCursor(text: string): { at: number; id: string } | undefined {
  const [at, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  return at === undefined || id === undefined || !Number.isFinite(Number(at))
    ? undefined
    : { at: Number(at), id };
}

/** The audit trail: filters, newest first, cursor paging; `format=jsonl` exports JSON lines. */
export function registerAuditRoutes(app: FastifyInstance, identity: IdentityAdmin): void {
  app.get<{ Querystring: AuditQuery }>(
    '/api/v1/audit',
    {
      config: { roles: ROLES.audit },
      schema: {
        operationId: 'listAuditEvents',
        summary:
          'Audit events (admin changes, partner-API calls) with filters and paging; format=jsonl exports',
        tags: ['audit'],
        querystring: query,
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: { type: 'object', additionalProperties: true } },
              next: { type: ['string', 'null'] },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const limit = q.limit ?? 100;
      if (q.format === 'jsonl') {
        // An export walks every page; bounded by the same page size per query.
        reply.type('application/x-ndjson');
        const lines: string[] = [];
        let after = filterOf(q).after;
        const { cursor: _cursor, ...unpaged } = q;
        for (let page = 0; page < 1_000; page++) {
          const records = await identity.auditEvents.list({
            ...filterOf(unpaged),
            ...(after === undefined ? {} : { after }),
            limit: 1000,
          });
          for (const record of records) lines.push(JSON.stringify(present(record)));
          const last = records.at(-1);
          if (records.length < 1000 || last === undefined) break;
          after = { at: last.at, id: last.id };
        }
        return reply.send(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
      }
      const records = await identity.auditEvents.list({ ...filterOf(q), limit: limit + 1 });
      const page = records.slice(0, limit);
      const last = page.at(-1);
      const next =
        records.length > limit && last !== undefined
          ? Buffer.from(`${last.at}|${last.id}`).toString('base64url')
          : null;
      return { items: page.map(present), next };
    },
  );
}
