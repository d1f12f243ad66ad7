import { dereference } from '@readme/openapi-parser';
import { descriptionInvalid } from './read-document.ts';

/**
 * Replaces every `$ref` with the object it points to. Circular references become circular
 * object graphs here (never a stack overflow in the parser); `materializeSchema` later cuts them
 * so that what leaves this module is plain, finite JSON.
 */
export async function dereferenceDocument(
  document: Record<string, unknown>,
  file: string,
): Promise<Record<string, unknown>> {
  try {
    const result = await dereference(document as unknown as Parameters<typeof dereference>[0], {
      resolve: { external: true, file: true },
      dereference: { circular: true },
      timeoutMs: 30_000,
    });
    return result as unknown as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw descriptionInvalid(file, `a $ref cannot be resolved (${message})`, error);
  }
}
