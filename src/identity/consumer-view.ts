import type { ConsumerRecord } from '../store/index.ts';

/** A consumer as the admin API and the CLI show it: dates as ISO text, `disabled` as a flag. */
export function presentConsumer(record: ConsumerRecord): Record<string, unknown> {
  return {
    name: record.name,
    type: record.type,
    description: record.description,
    contact: record.contact,
    apis: record.apis,
    plan: record.plan,
    scopes: record.scopes,
    disabled: record.disabledAt !== null,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
  };
}
