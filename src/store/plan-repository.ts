import type { Kysely, Selectable } from 'kysely';
import type { Database } from './db-schema.ts';
import type { PlanRecord, PlanRepository, PlansTable } from './identity-types.ts';

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
const encode = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

function toRecord(row: Selectable<PlansTable>): PlanRecord {
  return {
    name: row.name,
    description: row.description,
    rateLimit: parse(row.rate_limit),
    quota: parse(row.quota),
    apis: parse(row.apis),
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function createPlanRepository(db: Kysely<Database>): PlanRepository {
  return {
    async create(record) {
      const now = Date.now();
      const row = await db
        .insertInto('plans')
        .values({
          name: record.name,
          description: record.description,
          rate_limit: encode(record.rateLimit),
          quota: encode(record.quota),
          apis: encode(record.apis),
          scopes: JSON.stringify(record.scopes),
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async get(name) {
      const row = await db.selectFrom('plans').selectAll().where('name', '=', name).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    async list() {
      return (await db.selectFrom('plans').selectAll().orderBy('name').execute()).map(toRecord);
    },

    async update(name, patch) {
      const set: Partial<PlansTable> = { updated_at: Date.now() };
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.rateLimit !== undefined) set.rate_limit = encode(patch.rateLimit);
      if (patch.quota !== undefined) set.quota = encode(patch.quota);
      if (patch.apis !== undefined) set.apis = encode(patch.apis);
      if (patch.scopes !== undefined) set.scopes = JSON.stringify(patch.scopes);
      const row = await db
        .updateTable('plans')
        .set(set)
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    async delete(name) {
      const result = await db.deleteFrom('plans').where('name', '=', name).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
