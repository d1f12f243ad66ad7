import type { Migration } from './migration.ts';
import { columnTypes } from './migration.ts';

/**
 * The OAuth 2.0 authorization server's state: clients (their secrets live in the vault),
 * the users it authenticates, and oidc-provider's own short-lived models (grants, codes,
 * refresh tokens, sessions, interactions) as JSON payloads keyed by model and id.
 */
export const oauth: Migration = {
  version: 4,
  name: 'oauth',
  async up(db, dialect) {
    const { json } = columnTypes(dialect);
    await db.schema
      .createTable('oauth_clients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('consumer', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('grant_types', json, (c) => c.notNull())
      .addColumn('redirect_uris', json, (c) => c.notNull())
      .addColumn('scopes', json, (c) => c.notNull())
      .addColumn('audiences', json, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('disabled_at', 'bigint')
      .execute();
    await db.schema.createIndex('oauth_clients_consumer').on('oauth_clients').column('consumer').execute();
    await db.schema
      .createTable('oauth_users')
      .addColumn('username', 'text', (c) => c.primaryKey())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('disabled_at', 'bigint')
      .execute();
    await db.schema
      .createTable('oauth_models')
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('payload', json, (c) => c.notNull())
      .addColumn('grant_id', 'text')
      .addColumn('uid', 'text')
      .addColumn('user_code', 'text')
      .addColumn('expires_at', 'bigint')
      .addColumn('consumed_at', 'bigint')
      .addPrimaryKeyConstraint('oauth_models_pk', ['model', 'id'])
      .execute();
    await db.schema.createIndex('oauth_models_grant').on('oauth_models').column('grant_id').execute();
    await db.schema.createIndex('oauth_models_uid').on('oauth_models').columns(['model', 'uid']).execute();
  },
};
