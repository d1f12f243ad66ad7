import { collectingKind, type RunRecord, type Store } from '../../store/index.ts';

/**
 * A debounced or batched run gets its trigger data at its first claim, from the triggers it
 * collected: the last one (debounce) or all of them in arrival order (batch). The data is then
 * stored on the run, so a resumed run and the run history see it like any other run's.
 */
export async function withCollectedInput(store: Store, run: RunRecord, owner: string): Promise<RunRecord> {
  const kind = collectingKind(run.input);
  if (kind === undefined) return run;
  const triggers = (await store.flowControl.collected(run.id)).filter(
    (trigger) => trigger.status !== 'superseded',
  );
  const input =
    kind === 'debounce' ? (triggers.at(-1)?.input ?? null) : triggers.map((trigger) => trigger.input);
  await store.flowControl.seal(run.id, owner, input, Date.now());
  return { ...run, input };
}
