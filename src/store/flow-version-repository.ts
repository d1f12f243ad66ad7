import type { Kysely } from 'kysely';
import type { Database } from './db-schema.ts';
import type { FlowVersionRepository } from './history-types.ts';
import { decodeJson, encodeJson } from './json-column.ts';

/** Flow definitions by version hash: written once when a version first runs, read on resume. */
export function createFlowVersionRepository(db: Kysely<Database>): FlowVersionRepository {
  return {
    async save(version, now) {
      await db
        .insertInto('flow_versions')
        .values({
          id: version.id,
          flow: version.flow,
          definition: encodeJson(version.definition) ?? 'null',
          created_at: now,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom('flow_versions').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        id: row.id,
        flow: row.flow,
        definition: decodeJson(row.definition),
        createdAt: Number(row.created_at),
      };
    },
    async list(flow) {
      const rows = await db
        .selectFrom('flow_versions')
        .select(['id', 'flow', 'created_at'])
        .where('flow', '=', flow)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map((row) => ({ id: row.id, flow: row.flow, createdAt: Number(row.created_at) }));
    },
  };
}
