/** JSON media types (`application/json`, `application/problem+json`, with parameters). */
export function isJsonMediaType(contentType: string): boolean {
  return /^application\/([a-z0-9.!#$&^_-]+\+)?json\s*(;|$)/i.test(contentType.trim());
}
