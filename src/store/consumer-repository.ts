import type { Kysely, Selectable } from 'kysely';
import type { Database } from './db-schema.ts';
import type { ConsumerKind, ConsumerRecord, ConsumerRepository, ConsumersTable } from './identity-types.ts';

const nullableList = (text: string | null): readonly string[] | null =>
  text === null ? null : (JSON.parse(text) as string[]);
const nullableNumber = (value: number | null): number | null => (value === null ? null : Number(value));

function toRecord(row: Selectable<ConsumersTable>): ConsumerRecord {
  return {
    name: row.name,
    type: row.type as ConsumerKind,
    description: row.description,
    contact: JSON.parse(row.contact) as ConsumerRecord['contact'],
    apis: nullableList(row.apis),
    plan: row.plan,
    scopes: JSON.parse(row.scopes) as string[],
    disabledAt: nullableNumber(row.disabled_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function createConsumerRepository(db: Kysely<Database>): ConsumerRepository {
  return {
    async create(record) {
      const now = Date.now();
      const row = await db
        .insertInto('consumers')
        .values({
          name: record.name,
          type: record.type,
          description: record.description,
          contact: JSON.stringify(record.contact),
          apis: record.apis === null ? null : JSON.stringify(record.apis),
          plan: record.plan,
          scopes: JSON.stringify(record.scopes),
          disabled_at: null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async get(name) {
      const row = await db.selectFrom('consumers').selectAll().where('name', '=', name).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    async list() {
      const rows = await db.selectFrom('consumers').selectAll().orderBy('name').execute();
      return rows.map(toRecord);
    },

    async update(name, patch) {
      const set: Partial<ConsumersTable> = { updated_at: Date.now() };
      if (patch.type !== undefined) set.type = patch.type;
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.contact !== undefined) set.contact = JSON.stringify(patch.contact);
      if (patch.apis !== undefined) set.apis = patch.apis === null ? null : JSON.stringify(patch.apis);
      if (patch.plan !== undefined) set.plan = patch.plan;
      if (patch.scopes !== undefined) set.scopes = JSON.stringify(patch.scopes);
      if (patch.disabledAt !== undefined) set.disabled_at = patch.disabledAt;
      const row = await db
        .updateTable('consumers')
        .set(set)
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    async delete(name) {
      const result = await db.deleteFrom('consumers').where('name', '=', name).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
