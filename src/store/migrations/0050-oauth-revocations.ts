import type { Migration } from './migration.ts';

/**
 * Revoked JWT access tokens and grants. oidc-provider never stores a JWT access token, so a
 * revocation (RFC 7009) or a revoked grant (a revoked or replayed refresh token) is recorded
 * here, and every gateway process checks a token's `jti` and grant against it. A row is kept
 * until the last token it can concern has expired.
 */
export const oauthRevocations: Migration = {
  version: 50,
  name: 'oauth-revocations',
  async up(db) {
    await db.schema
      .createTable('oauth_revocations')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('oauth_revocations_pk', ['kind', 'id'])
      .execute();
    await db.schema
      .createIndex('oauth_revocations_expiry')
      .on('oauth_revocations')
      .column('expires_at')
      .execute();
  },
};
