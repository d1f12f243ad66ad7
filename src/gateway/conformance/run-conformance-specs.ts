import { readdir, readFile } from 'node:fs/promises';
import { type IncomingHttpHeaders, request } from 'node:http';
import { join } from 'node:path';
import { isMap, isNode, isSeq, LineCounter, parseDocument } from 'yaml';
import { ConfluxError } from '../../errors/index.ts';
import { compareResponse } from './compare-response.ts';
import { type ConformanceCase, type ConformanceSpec, readSpec } from './spec-file.ts';

/** A running project, as the runner needs it (the platform starts it in-process). */
export interface ConformanceTarget {
  readonly gatewayUrl: string;
  issueKey(consumer: string, scopes: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

export interface ConformanceCaseResult {
  readonly spec: string;
  readonly file: string;
  /** Line of the case in its file. */
  readonly line: number;
  readonly name: string;
  readonly passed: boolean;
  readonly diffs: readonly string[];
}

export interface ConformanceReport {
  readonly passed: number;
  readonly failed: number;
  readonly results: readonly ConformanceCaseResult[];
}

export const SPEC_SUFFIX = '.spec.yaml';

/** The conformance specs of a project: `specs/*.spec.yaml`, in name order. */
export async function loadConformanceSpecs(projectRoot: string): Promise<ConformanceSpec[]> {
  const dir = join(projectRoot, 'specs');
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => name.endsWith(SPEC_SUFFIX))
    .sort();
  const specs: ConformanceSpec[] = [];
  for (const name of names) {
    const file = `specs/${name}`;
    const lineCounter = new LineCounter();
    const doc = parseDocument(await readFile(join(dir, name), 'utf8'), { lineCounter });
    if (doc.errors.length > 0) {
      const error = doc.errors[0];
      throw new ConfluxError('GATEWAY_CONFORMANCE_FAILED', `${file}: not valid YAML: ${error?.message}`, {
        cause: error,
      });
    }
    const cases = isMap(doc.contents) ? doc.contents.get('cases', true) : undefined;
    const lineOfCase = (index: number): number => {
      const item = isSeq(cases) ? cases.items[index] : undefined;
      const offset = isNode(item) ? item.range?.[0] : undefined;
      return offset === undefined ? 1 : lineCounter.linePos(offset).line;
    };
    specs.push(readSpec(file, doc.toJS(), lineOfCase));
  }
  return specs;
}

/**
 * Runs a project's conformance specs against it: starts the project (through `start`, on
 * ephemeral ports), issues each spec's keys, sends each case's request over HTTP and compares
 * the answer with the expectation (status, headers, a subset of the JSON body). Cases run in
 * file order, one at a time, so specs may rely on earlier cases (a rate limit, say).
 */
export async function runConformanceSpecs(
  projectRoot: string,
  options: { start(projectRoot: string): Promise<ConformanceTarget> },
): Promise<ConformanceReport> {
  const specs = await loadConformanceSpecs(projectRoot);
  const results: ConformanceCaseResult[] = [];
  if (specs.length === 0) return { passed: 0, failed: 0, results };
  const target = await options.start(projectRoot);
  try {
    for (const spec of specs) {
      const keys: Record<string, string> = {};
      for (const [name, key] of Object.entries(spec.keys))
        keys[name] = await target.issueKey(key.consumer, key.scopes);
      for (const item of spec.cases) {
        const diffs = await runCase(target.gatewayUrl, item, keys).catch((error: unknown) => [
          `request failed: ${(error as Error).message}`,
        ]);
        results.push({
          spec: spec.name,
          file: spec.file,
          line: item.line,
          name: item.name,
          passed: diffs.length === 0,
          diffs,
        });
      }
    }
  } finally {
    await target.stop();
  }
  const failed = results.filter((result) => !result.passed).length;
  return { passed: results.length - failed, failed, results };
}

async function runCase(base: string, item: ConformanceCase, keys: Record<string, string>): Promise<string[]> {
  const fill = (text: string) =>
    text.replace(/\{\{\s*keys\.([\w-]+)\s*\}\}/g, (_, name: string) => keys[name] ?? '');
  const headers = Object.fromEntries(
    Object.entries(item.request.headers).map(([name, value]) => [name, fill(value)]),
  );
  let body: string | undefined;
  if (item.request.body !== undefined) {
    body = typeof item.request.body === 'string' ? item.request.body : JSON.stringify(item.request.body);
    headers['content-type'] ??= 'application/json';
  }
  const url = new URL(fill(item.request.path), base);
  const actual = await new Promise<{ status: number; headers: IncomingHttpHeaders; text: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: item.request.method,
          path: `${url.pathname}${url.search}`,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
      req.end(body);
    },
  );
  return compareResponse(item.expect, actual);
}
