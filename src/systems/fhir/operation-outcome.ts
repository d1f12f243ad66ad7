import { ConfluxError } from '../../errors/index.ts';

/** One issue of an OperationOutcome, as flows and operators read it. */
export interface OutcomeIssue {
  readonly severity: string;
  readonly code: string;
  readonly diagnostics?: string;
  /** FHIRPath of the offending element (`expression`, else the deprecated `location`). */
  readonly expression?: readonly string[];
}

// Issue codes (R4 IssueType) by the typed error they become; others keep SYSTEM_CALL_FAILED.
const NOT_FOUND = new Set(['not-found', 'deleted']);
const INVALID = new Set([
  'invalid',
  'structure',
  'required',
  'value',
  'invariant',
  'business-rule',
  'code-invalid',
]);
const CONFLICT = new Set(['conflict', 'duplicate']);
const TRANSIENT = new Set([
  'transient',
  'lock-error',
  'no-store',
  'exception',
  'timeout',
  'incomplete',
  'throttled',
]);

function readIssues(body: unknown): OutcomeIssue[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const outcome = body as { resourceType?: unknown; issue?: unknown };
  if (outcome.resourceType !== 'OperationOutcome' || !Array.isArray(outcome.issue)) return undefined;
  return outcome.issue
    .filter((issue): issue is Record<string, unknown> => typeof issue === 'object' && issue !== null)
    .map((issue) => {
      const paths = Array.isArray(issue.expression) ? issue.expression : issue.location;
      const diagnostics =
        typeof issue.diagnostics === 'string'
          ? issue.diagnostics
          : typeof (issue.details as { text?: unknown } | undefined)?.text === 'string'
            ? (issue.details as { text: string }).text
            : undefined;
      return {
        severity: String(issue.severity ?? 'error'),
        code: String(issue.code ?? 'unknown'),
        ...(diagnostics === undefined ? {} : { diagnostics }),
        ...(Array.isArray(paths) ? { expression: paths.map(String) } : {}),
      };
    });
}

type OutcomeCode =
  | 'SYSTEM_FHIR_NOT_FOUND'
  | 'SYSTEM_FHIR_CONFLICT'
  | 'SYSTEM_FHIR_INVALID'
  | 'SYSTEM_CALL_FAILED';

function codeFor(status: number, issue: OutcomeIssue | undefined): OutcomeCode {
  if (status === 404 || status === 410 || NOT_FOUND.has(issue?.code ?? '')) return 'SYSTEM_FHIR_NOT_FOUND';
  if (status === 409 || status === 412 || CONFLICT.has(issue?.code ?? '')) return 'SYSTEM_FHIR_CONFLICT';
  if (status === 400 || status === 422 || INVALID.has(issue?.code ?? '')) return 'SYSTEM_FHIR_INVALID';
  return 'SYSTEM_CALL_FAILED';
}

/**
 * A failed answer whose body is a FHIR OperationOutcome as a typed error: not found (404/410,
 * `not-found`), invalid (400/422, `invalid`, `required`, ...), conflict (409/412, `conflict`,
 * `duplicate`), else SYSTEM_CALL_FAILED. The issues travel in `details.issues`; the first
 * error's diagnostics and path make the message. Undefined when the body is no OperationOutcome.
 */
export function operationOutcomeError(
  status: number,
  body: unknown,
  facts: { system: string; operation: string; where: string; attempts: number; retryable: boolean },
): ConfluxError | undefined {
  const issues = readIssues(body);
  if (issues === undefined) return undefined;
  const first = issues.find((issue) => issue.severity === 'fatal' || issue.severity === 'error') ?? issues[0];
  const code = codeFor(status, first);
  const retryable =
    code === 'SYSTEM_CALL_FAILED' && (facts.retryable || TRANSIENT.has(first?.code ?? '')) && status !== 401;
  const said =
    first === undefined
      ? 'no issue given'
      : `${first.code}${first.diagnostics === undefined ? '' : `: ${first.diagnostics}`}${
          first.expression === undefined ? '' : ` (at ${first.expression.join(', ')})`
        }`;
  return new ConfluxError(code, `${facts.where} answered HTTP ${status} with an OperationOutcome: ${said}.`, {
    details: {
      system: facts.system,
      operation: facts.operation,
      status,
      issues,
      body,
      retryable,
      attempts: facts.attempts,
    },
  });
}
