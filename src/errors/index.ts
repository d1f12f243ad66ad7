export { type ErrorCode, type ErrorKind, type ErrorSpec, errorCatalogue } from './catalogue.ts';
export { ConfluxError, type ConfluxErrorOptions, isConfluxError, toConfluxError } from './conflux-error.ts';
export { PROBLEM_CONTENT_TYPE, type Problem, toProblem } from './problem.ts';
