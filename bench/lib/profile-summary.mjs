// Summarises a V8 CPU profile (node --cpu-prof): share of busy samples by module and by function
// (self time), and optionally the inclusive share of chosen functions. Shared by the benchmarks;
// also runnable: node bench/lib/profile-summary.mjs <dir-or-file> [top]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The largest profile of a directory: tsx's loader thread writes one too; the main thread's is the largest. */
export function largestProfile(dir) {
  if (!existsSync(dir)) return undefined;
  if (dir.endsWith('.cpuprofile')) return dir;
  const file = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
  return file === undefined ? undefined : join(dir, file);
}

export function summarizeProfile(dirOrFile, top = 12) {
  const file = largestProfile(dirOrFile);
  if (file === undefined) return undefined;
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map();
  const modules = new Map();
  let busy = 0;
  for (const id of profile.samples) {
    const frame = byId.get(id).callFrame;
    if (frame.functionName === '(idle)') continue;
    busy++;
    const where = place(frame.url);
    const key = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + 1);
    const module = frame.url.includes('node_modules/')
      ? where.split('/')[0]
      : where.startsWith('src/')
        ? where.split('/').slice(0, 2).join('/')
        : frame.url.startsWith('node:')
          ? frame.url.split('/').slice(0, 2).join('/')
          : frame.functionName;
    modules.set(module, (modules.get(module) ?? 0) + 1);
  }
  const ranked = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => ({ name, percent: Number(((count / busy) * 100).toFixed(1)) }));
  return {
    note: 'share of busy samples (idle excluded), whole process life including start-up',
    modules: ranked(modules),
    functions: ranked(functions),
  };
}

function place(url) {
  return url.includes('node_modules/')
    ? url.replace(/^.*node_modules\//, '')
    : url.replace(/^file:\/\/.*?\/((src|dist)\/)/, '$1');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const summary = summarizeProfile(process.argv[2], Number(process.argv[3] ?? 25));
  if (summary === undefined) throw new Error(`no .cpuprofile at ${process.argv[2]}`);
  for (const { name, percent } of summary.modules) console.log(`module ${percent}%\t${name}`);
  for (const { name, percent } of summary.functions) console.log(`fn ${percent}%\t${name}`);
}
