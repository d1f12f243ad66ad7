import type { JsonSchema } from '../../project/index.ts';
import { generateValue } from '../schema/generate-value.ts';
import { createRandom, hashText } from '../schema/random.ts';
import type { Operation, OperationResponse } from '../types.ts';

export interface BaseAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: unknown;
  readonly schema: JsonSchema | undefined;
}

/**
 * What an operation answers without state: its preferred documented response (the first 2xx),
 * with the description's example, or else data generated from the schema. Generated once per
 * operation and seed, so repeated calls see the same data.
 */
export function createBaseAnswers(seed: number): (operation: Operation) => BaseAnswer {
  const cache = new Map<Operation, BaseAnswer>();
  return (operation) => {
    let answer = cache.get(operation);
    if (answer === undefined) {
      answer = compute(operation, seed);
      cache.set(operation, answer);
    }
    return answer;
  };
}

function compute(operation: Operation, seed: number): BaseAnswer {
  const response: OperationResponse | undefined = operation.responses[0];
  if (response === undefined)
    return { status: 200, contentType: undefined, body: undefined, schema: undefined };
  const status = /^\d{3}$/.test(response.status)
    ? Number(response.status)
    : /^[1-5]XX$/i.test(response.status)
      ? Number(response.status[0]) * 100
      : 200;
  const body =
    status === 204
      ? undefined
      : (response.example ??
        (response.schema === undefined
          ? undefined
          : generateValue(response.schema, createRandom(seed ^ hashText(operation.id)))));
  return { status, contentType: response.contentType, body, schema: response.schema };
}
