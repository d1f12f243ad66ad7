/** Picks the media type Conflux speaks best: exactly JSON, then any JSON flavour, then the first. */
export function preferJson(types: readonly string[]): string | undefined {
  return (
    types.find((type) => type.split(';')[0]?.trim().toLowerCase() === 'application/json') ??
    types.find((type) => /[/+]json\b/i.test(type)) ??
    types[0]
  );
}

export function isJsonMediaType(type: string | undefined): boolean {
  return type !== undefined && /[/+]json\b/i.test(type);
}

export function isFormMediaType(type: string | undefined): boolean {
  return type?.toLowerCase().startsWith('application/x-www-form-urlencoded') === true;
}
