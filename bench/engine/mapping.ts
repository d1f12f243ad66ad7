// The bench flow's three expressions (the five-field map, the call's input, the flow's output),
// evaluated side by side in one run: by JSONata itself (with Conflux's helpers registered, as
// Conflux evaluates anything outside the plain subset) and through compileExpression, which
// takes the direct path for them. Bounded in count and time. Prints a table.
// Usage: taskset -c 1 node --import tsx bench/engine/mapping.ts [evaluations]   (results: bench/RESULTS.md, engine notes)
import { readFileSync } from 'node:fs';
import jsonata from 'jsonata';
import { parse } from 'yaml';
import { helpers } from '../../src/mapping/helpers/index.ts';
import { compileExpression } from '../../src/mapping/index.ts';

const EVALUATIONS = Number(process.argv[2] ?? 100_000);
const MAX_SECONDS = 10;
const flow = parse(readFileSync(new URL('project/flows/bench.yaml', import.meta.url), 'utf8')) as {
  steps: { expression?: string; input?: string }[];
  output: string;
};
const [map, call] = flow.steps;
const body = JSON.parse(readFileSync(new URL('payload.json', import.meta.url), 'utf8'));
const mapped = { orderId: 'ORD-1001', name: 'Ada Lovelace', email: 'ada@example.com' };
const cases = [
  {
    name: 'map (five fields, one date reformat)',
    text: map?.expression ?? '',
    context: { trigger: { body }, steps: {} },
  },
  { name: 'call input', text: call?.input ?? '', context: { trigger: { body }, steps: { map: mapped } } },
  {
    name: 'flow output',
    text: flow.output,
    context: { trigger: { body }, steps: { map: mapped, enrich: { body: { id: 'U-1' } } } },
  },
];

type Evaluate = (context: unknown) => Promise<unknown>;

async function measure(evaluate: Evaluate, context: unknown) {
  for (let index = 0; index < 2_000; index++) await evaluate(context); // warm-up
  const deadline = Date.now() + MAX_SECONDS * 1000;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let done = 0;
  while (done < EVALUATIONS && (done % 1000 !== 0 || Date.now() < deadline)) {
    await evaluate(context);
    done++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return {
    perSecond: Math.round(done / seconds),
    cpuMicrosPerEvaluation: Number(((used.user + used.system) / done).toFixed(2)),
  };
}

const rows: string[] = [];
for (const { name, text, context } of cases) {
  const reference = jsonata(text);
  for (const [helper, implementation] of Object.entries(helpers)) {
    reference.registerFunction(helper, implementation as (...args: unknown[]) => unknown);
  }
  const conflux = compileExpression(text, 'bench');
  const viaJsonata = await measure((value) => reference.evaluate(value), context);
  const direct = await measure((value) => conflux.evaluate(value), context);
  rows.push(
    `| ${name} | ${viaJsonata.perSecond} | ${viaJsonata.cpuMicrosPerEvaluation} | ${direct.perSecond} | ${direct.cpuMicrosPerEvaluation} | ${(viaJsonata.cpuMicrosPerEvaluation / direct.cpuMicrosPerEvaluation).toFixed(1)}× |`,
  );
}
console.log(
  '| expression | JSONata evaluations/s | µs CPU each | Conflux (direct) evaluations/s | µs CPU each | CPU ratio |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
