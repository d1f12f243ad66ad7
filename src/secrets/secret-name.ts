import { ConfluxError } from '../errors/index.ts';

const SECRET_NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/;

export function assertSecretName(name: string): void {
  if (!SECRET_NAME.test(name)) {
    throw new ConfluxError(
      'SECRET_NAME_INVALID',
      `The secret name "${name.slice(0, 140)}" is not valid: use 1-128 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit`,
      { details: { name: name.slice(0, 140), expected: SECRET_NAME.source } },
    );
  }
}
