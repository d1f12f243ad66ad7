import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from './db-schema.ts';
import type {
  OAuthClientRecord,
  OAuthClientsTable,
  OAuthModelRecord,
  OAuthModelsTable,
  OAuthRepository,
  OAuthRevocationRef,
  OAuthUserRecord,
  OAuthUsersTable,
} from './identity-types.ts';

const nullable = (value: number | null): number | null => (value === null ? null : Number(value));

function toClient(row: Selectable<OAuthClientsTable>): OAuthClientRecord {
  return {
    id: row.id,
    consumer: row.consumer,
    name: row.name,
    grantTypes: JSON.parse(row.grant_types) as OAuthClientRecord['grantTypes'],
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    scopes: JSON.parse(row.scopes) as string[],
    audiences: JSON.parse(row.audiences) as string[],
    createdAt: Number(row.created_at),
    disabledAt: nullable(row.disabled_at),
  };
}

function toUser(row: Selectable<OAuthUsersTable>): OAuthUserRecord {
  return {
    username: row.username,
    passwordHash: row.password_hash,
    displayName: row.display_name,
    createdAt: Number(row.created_at),
    disabledAt: nullable(row.disabled_at),
  };
}

function toModel(row: Selectable<OAuthModelsTable>): OAuthModelRecord {
  return {
    model: row.model,
    id: row.id,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    grantId: row.grant_id,
    uid: row.uid,
    userCode: row.user_code,
    expiresAt: nullable(row.expires_at),
    consumedAt: nullable(row.consumed_at),
  };
}

export function createOAuthRepository(db: Kysely<Database>): OAuthRepository {
  const live = (model: OAuthModelRecord | undefined): OAuthModelRecord | undefined =>
    model === undefined || (model.expiresAt !== null && model.expiresAt <= Date.now()) ? undefined : model;
  return {
    async createClient(record) {
      const row = await db
        .insertInto('oauth_clients')
        .values({
          id: record.id,
          consumer: record.consumer,
          name: record.name,
          grant_types: JSON.stringify(record.grantTypes),
          redirect_uris: JSON.stringify(record.redirectUris),
          scopes: JSON.stringify(record.scopes),
          audiences: JSON.stringify(record.audiences),
          created_at: Date.now(),
          disabled_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toClient(row);
    },
    async getClient(id) {
      const row = await db.selectFrom('oauth_clients').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toClient(row);
    },
    async listClients() {
      return (
        await db.selectFrom('oauth_clients').selectAll().orderBy('created_at').orderBy('id').execute()
      ).map(toClient);
    },
    async disableClient(id, at) {
      const result = await db
        .updateTable('oauth_clients')
        .set({ disabled_at: at })
        .where('id', '=', id)
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async createUser(record) {
      const row = await db
        .insertInto('oauth_users')
        .values({
          username: record.username,
          password_hash: record.passwordHash,
          display_name: record.displayName,
          created_at: Date.now(),
          disabled_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUser(row);
    },
    async getUser(username) {
      const row = await db
        .selectFrom('oauth_users')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      return row === undefined ? undefined : toUser(row);
    },
    async listUsers() {
      return (await db.selectFrom('oauth_users').selectAll().orderBy('username').execute()).map(toUser);
    },
    async disableUser(username, at) {
      const result = await db
        .updateTable('oauth_users')
        .set({ disabled_at: at })
        .where('username', '=', username)
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async upsertModel(record) {
      const values = {
        model: record.model,
        id: record.id,
        payload: JSON.stringify(record.payload),
        grant_id: record.grantId,
        uid: record.uid,
        user_code: record.userCode,
        expires_at: record.expiresAt,
        consumed_at: record.consumedAt,
      };
      await db
        .insertInto('oauth_models')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['model', 'id']).doUpdateSet({
            payload: values.payload,
            grant_id: values.grant_id,
            uid: values.uid,
            user_code: values.user_code,
            expires_at: values.expires_at,
          }),
        )
        .execute();
    },
    async findModel(model, id) {
      const row = await db
        .selectFrom('oauth_models')
        .selectAll()
        .where('model', '=', model)
        .where('id', '=', id)
        .executeTakeFirst();
      return live(row === undefined ? undefined : toModel(row));
    },
    async findModelByUid(model, uid) {
      const row = await db
        .selectFrom('oauth_models')
        .selectAll()
        .where('model', '=', model)
        .where('uid', '=', uid)
        .executeTakeFirst();
      return live(row === undefined ? undefined : toModel(row));
    },
    async findModelByUserCode(model, userCode) {
      const row = await db
        .selectFrom('oauth_models')
        .selectAll()
        .where('model', '=', model)
        .where('user_code', '=', userCode)
        .executeTakeFirst();
      return live(row === undefined ? undefined : toModel(row));
    },
    async consumeModel(model, id, at) {
      await db
        .updateTable('oauth_models')
        .set({ consumed_at: at })
        .where('model', '=', model)
        .where('id', '=', id)
        .execute();
    },
    async destroyModel(model, id) {
      await db.deleteFrom('oauth_models').where('model', '=', model).where('id', '=', id).execute();
    },
    async revokeGrant(grantId) {
      await db.deleteFrom('oauth_models').where('grant_id', '=', grantId).execute();
    },
    async addRevocations(entries, at) {
      await db.deleteFrom('oauth_revocations').where('expires_at', '<=', at).execute();
      for (const entry of entries) {
        await db
          .insertInto('oauth_revocations')
          .values({ kind: entry.kind, id: entry.id, revoked_at: at, expires_at: entry.expiresAt })
          .onConflict((oc) =>
            // CASE rather than max()/greatest(): one spelling for SQLite and PostgreSQL.
            oc.columns(['kind', 'id']).doUpdateSet({
              expires_at: sql<number>`case when excluded.expires_at > oauth_revocations.expires_at then excluded.expires_at else oauth_revocations.expires_at end`,
            }),
          )
          .execute();
      }
    },
    async findRevocations(refs, now) {
      if (refs.length === 0) return [];
      const rows = await db
        .selectFrom('oauth_revocations')
        .select(['kind', 'id'])
        .where('expires_at', '>', now)
        .where((eb) => eb.or(refs.map((ref) => eb.and([eb('kind', '=', ref.kind), eb('id', '=', ref.id)]))))
        .execute();
      return rows.map((row) => ({ kind: row.kind as OAuthRevocationRef['kind'], id: row.id }));
    },
  };
}
