import { runGatewayConformance } from '../../platform/index.ts';
import type { Output } from '../output.ts';

/** `conflux test --gateway`: the conformance specs, one line per case, diffs under failures. */
export async function runGatewaySpecs(projectRoot: string, out: Output): Promise<void> {
  const report = await runGatewayConformance(projectRoot, process.env);
  out.result(report);
  for (const result of report.results) {
    out.line(`${result.passed ? 'ok  ' : 'FAIL'} ${result.spec}: ${result.name}  (${result.file})`);
    for (const diff of result.diffs) out.line(`       ${diff}`);
  }
  out.line(`${report.passed} passed, ${report.failed} failed`);
  if (report.failed > 0) process.exitCode = 1;
}
