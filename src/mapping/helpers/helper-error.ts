/**
 * Helpers report bad arguments by throwing; the expression's evaluate() wraps whatever is thrown
 * into MAPPING_EVALUATE_FAILED with the position of the call, so a plain Error with a precise
 * message is all a helper needs.
 */
export function helperError(helper: string, message: string): Error {
  return new Error(`$${helper}: ${message}`);
}

/** Renders a value for an error message: short, and never a whole document. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
