import type { Migration } from './migration.ts';

/**
 * The claim's order as an index: queued runs by priority (highest first), then due time,
 * creation and id. A claim then reads the first few entries instead of sorting every due run,
 * which made each claim cost as much as the backlog was long. It replaces `(status,
 * available_at)`, which SQLite's planner (without statistics) preferred for the due-time range
 * and then sorted the whole backlog.
 */
export const claimOrder: Migration = {
  version: 60,
  name: 'claim-order',
  async up(db) {
    await db.schema.dropIndex('runs_claim_queued').execute();
    await db.schema
      .createIndex('runs_claim_order')
      .on('runs')
      .columns(['status', 'priority desc', 'available_at', 'created_at', 'id'])
      .execute();
  },
};
