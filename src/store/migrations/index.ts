import { initial } from './0001-initial.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

/** Every migration, in version order. Add a new file and one line here; never edit a released one. */
export const migrations: readonly Migration[] = [initial];
