import type { ConfluxError } from './conflux-error.ts';

/** RFC 9457 problem details, as every HTTP edge of Conflux answers errors. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  correlationId?: string;
  instance?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://conflux.dev/errors/';

export function toProblem(error: ConfluxError, correlationId?: string, instance?: string): Problem {
  const problem: Problem = {
    type: TYPE_BASE + error.code.toLowerCase().replaceAll('_', '-'),
    title: error.title,
    status: error.status,
    detail:
      error.kind === 'unexpected'
        ? 'An unexpected error occurred; see the logs for this correlation id.'
        : error.message,
    code: error.code,
    ...(error.kind === 'unexpected' ? {} : error.details),
  };
  if (correlationId !== undefined) problem.correlationId = correlationId;
  if (instance !== undefined) problem.instance = instance;
  return problem;
}
