import type { DriftFinding, DriftKind } from './detect-drift.ts';

export interface DriftEntry {
  readonly pointer: string;
  readonly kind: DriftKind;
  readonly count: number;
  readonly sample?: unknown;
  readonly expected?: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

export interface OperationDrift {
  readonly operation: string;
  /** Answers that drifted, of those checked. */
  readonly drifted: number;
  readonly checked: number;
  readonly findings: readonly DriftEntry[];
}

/** Counts drift per system, operation and JSON pointer, keeping the first sample of each. */
export function createDriftRecorder(now: () => number = Date.now) {
  const systems = new Map<
    string,
    Map<string, { drifted: number; checked: number; findings: Map<string, DriftEntry> }>
  >();
  const entry = (system: string, operation: string) => {
    let operations = systems.get(system);
    if (operations === undefined) {
      operations = new Map();
      systems.set(system, operations);
    }
    let state = operations.get(operation);
    if (state === undefined) {
      state = { drifted: 0, checked: 0, findings: new Map() };
      operations.set(operation, state);
    }
    return state;
  };
  return {
    record(system: string, operation: string, findings: readonly DriftFinding[]): void {
      const state = entry(system, operation);
      state.checked += 1;
      if (findings.length === 0) return;
      state.drifted += 1;
      const at = new Date(now()).toISOString();
      for (const finding of findings) {
        const key = `${finding.kind} ${finding.pointer}`;
        const previous = state.findings.get(key);
        state.findings.set(key, {
          pointer: finding.pointer,
          kind: finding.kind,
          count: (previous?.count ?? 0) + 1,
          ...(previous?.sample !== undefined
            ? { sample: previous.sample }
            : finding.sample === undefined
              ? {}
              : { sample: finding.sample }),
          ...(finding.expected === undefined ? {} : { expected: finding.expected }),
          firstSeen: previous?.firstSeen ?? at,
          lastSeen: at,
        });
      }
    },
    report(system: string): OperationDrift[] {
      return [...(systems.get(system) ?? new Map()).entries()].map(([operation, state]) => ({
        operation,
        drifted: state.drifted,
        checked: state.checked,
        findings: [...state.findings.values()],
      }));
    },
  };
}

export type DriftRecorder = ReturnType<typeof createDriftRecorder>;
