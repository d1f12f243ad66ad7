import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/index.ts';
import type { Store } from '../store/index.ts';
import type { CompiledFlow, CompiledSchedule } from './compile-flow.ts';

export interface Scheduler {
  /** Replaces the schedules (on start and on every reload). */
  set(flows: readonly CompiledFlow[]): void;
  start(): void;
  stop(): void;
}

type StartRun = (
  flow: string,
  input: unknown,
  options: { triggerType: string; correlationId: string },
) => Promise<unknown>;

// Timers re-check at least this often, so a long wait survives clock changes and never
// exceeds setTimeout's 24.8-day limit.
const MAX_TIMER_MS = 60_000;

/**
 * Fires schedule triggers. Every process computes the same fire times from the cron pattern;
 * `claimFire(key, fireAt)` lets exactly one of them start the run, also across restarts.
 * Ticks that fell while no process was running are not caught up: the next tick fires.
 */
export function createScheduler(store: Store, logger: Logger, startRun: StartRun): Scheduler {
  let entries: { flow: string; schedule: CompiledSchedule }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let running = false;

  async function fire(flow: string, schedule: CompiledSchedule, fireAt: number): Promise<void> {
    if (!(await store.schedules.claimFire(schedule.key, fireAt))) return;
    const facts = { fireAt: new Date(fireAt).toISOString(), flow, schedule: schedule.key };
    const input = schedule.input === undefined ? facts : await schedule.input.evaluate(facts);
    await startRun(flow, input ?? null, { triggerType: 'schedule', correlationId: randomUUID() });
  }

  function arm(flow: string, schedule: CompiledSchedule, after: number): void {
    if (!running) return;
    const next = schedule.cron.nextRun(new Date(after))?.getTime();
    if (next === undefined) return;
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        if (Date.now() < next) {
          arm(flow, schedule, after);
          return;
        }
        fire(flow, schedule, next).catch((error: unknown) => {
          logger.error(
            { flow, schedule: schedule.key, fireAt: next, err: error },
            'scheduled run could not start',
          );
        });
        arm(flow, schedule, Math.max(next, Date.now()));
      },
      Math.min(Math.max(0, next - Date.now()), MAX_TIMER_MS),
    );
    timers.add(timer);
  }

  function clear(): void {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  }

  function armAll(): void {
    clear();
    const now = Date.now();
    for (const { flow, schedule } of entries) arm(flow, schedule, now);
  }

  return {
    set(flows) {
      entries = flows.flatMap((flow) =>
        flow.schedules.map((schedule) => ({ flow: flow.definition.name, schedule })),
      );
      if (running) armAll();
    },
    start() {
      running = true;
      armAll();
    },
    stop() {
      running = false;
      clear();
    },
  };
}
