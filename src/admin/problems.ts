import type { FastifyError, FastifyInstance } from 'fastify';
import { ConfluxError, PROBLEM_CONTENT_TYPE, toConfluxError, toProblem } from '../errors/index.ts';
import type { Logger } from '../observability/index.ts';

/** Every admin error leaves as problem+json with a stable code, like the gateway's. */
export function registerProblemHandlers(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error: FastifyError | ConfluxError, request, reply) => {
    const failure = fromFastify(error);
    if (failure.kind === 'unexpected')
      logger.error({ err: error, correlationId: request.id }, 'admin request failed');
    void reply
      .status(failure.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(toProblem(failure, request.id, request.url));
  });
  app.setNotFoundHandler((request, reply) => {
    const failure = new ConfluxError('HTTP_NOT_FOUND', `No admin endpoint ${request.method} ${request.url}.`);
    void reply
      .status(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send(toProblem(failure, request.id, request.url));
  });
}

function fromFastify(error: FastifyError | ConfluxError): ConfluxError {
  if (error instanceof ConfluxError) return error;
  if (error.validation !== undefined) {
    const fields = error.validation.map((issue) => ({
      field: `${error.validationContext ?? 'body'}${issue.instancePath || ''}`,
      problem: issue.message ?? 'invalid',
    }));
    return new ConfluxError(
      'HTTP_BAD_REQUEST',
      fields.map((field) => `${field.field}: ${field.problem}`).join('; '),
      { details: { errors: fields } },
    );
  }
  if (error.statusCode === 413) return new ConfluxError('HTTP_PAYLOAD_TOO_LARGE', error.message);
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new ConfluxError('HTTP_BAD_REQUEST', error.message);
  }
  return toConfluxError(error);
}
