import { initial } from './0001-initial.ts';
import { consumersAndPlans } from './0002-consumers-plans.ts';
import { keyRotation } from './0003-key-rotation.ts';
import { oauth } from './0004-oauth.ts';
import { adminPrincipals } from './0005-admin-principals.ts';
import { auditTrail } from './0009-audit-trail.ts';
import { engineState } from './0010-engine-state.ts';
import { runHistory } from './0015-run-history.ts';
import { flowVersions } from './0016-flow-versions.ts';
import { payloads } from './0017-payloads.ts';
import { flowPauses } from './0018-flow-pauses.ts';
import { quotaCounters } from './0020-quota-counters.ts';
import { auditEvents } from './0040-audit-events.ts';
import { oauthRevocations } from './0050-oauth-revocations.ts';
import { upstreamBudgets } from './0055-upstream-budgets.ts';
import { flowControlTriggers } from './0056-flow-control-triggers.ts';
import { claimOrder } from './0060-claim-order.ts';
import { connectionPauses } from './0065-connection-pauses.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

/** Every migration, in version order. Add a new file and one line here; never edit a released one. */
export const migrations: readonly Migration[] = [
  initial,
  consumersAndPlans,
  keyRotation,
  oauth,
  adminPrincipals,
  auditTrail,
  engineState,
  runHistory,
  flowVersions,
  payloads,
  flowPauses,
  quotaCounters,
  auditEvents,
  oauthRevocations,
  upstreamBudgets,
  flowControlTriggers,
  claimOrder,
  connectionPauses,
];
