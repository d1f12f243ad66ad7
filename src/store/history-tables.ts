/** Tables of run history, flow versions, claim-check payloads and paused flows (see db-schema.ts). */
import type { JsonText } from './db-schema.ts';

export interface FlowVersionsTable {
  id: string;
  flow: string;
  definition: JsonText;
  created_at: number;
}

export interface PayloadsTable {
  id: string;
  run_id: string;
  size: number;
  data: string;
  created_at: number;
}

export interface FlowPausesTable {
  flow: string;
  paused_at: number;
  reason: string | null;
}
