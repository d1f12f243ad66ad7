/** One test case's outcome, whatever kind of test it was (mapping, flow, and later gateway specs). */
export interface TestResult {
  readonly kind: string;
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  /** One line per difference or error; empty when passed. */
  readonly problems: readonly string[];
}
