import type { JsonText } from './db-schema.ts';

export interface EngineWaitsTable {
  run_id: string;
  step_id: string;
  topic: string | null;
  deadline: number;
  delivered_at: number | null;
  payload: JsonText | null;
}

export interface EngineDedupTable {
  scope: string;
  id: string;
  expires_at: number;
}

export interface EngineKvTable {
  key: string;
  value: JsonText | null;
  updated_at: number;
}

export interface EngineSlotsTable {
  key: string;
  holder: string;
  mode: string;
  expires_at: number | null;
}

export interface EngineRatesTable {
  key: string;
  window_start: number;
  count: number;
}

export interface EngineEventsTable {
  id: string;
  name: string;
  key: string | null;
  data: JsonText | null;
  created_at: number;
  dispatched_at: number | null;
}
