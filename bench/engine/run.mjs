#!/usr/bin/env node
// Engine benchmark (issue 5, item 10): the same flow — webhook → map five fields (one a date
// reformat) → HTTP call to a local upstream → respond — in Conflux, n8n and Node-RED, side by
// side in one run, at 50 concurrent connections (autocannon). Load generator on core 0, system
// under test and upstream on core 1. Then Conflux's async path (202 + queue) with 2 processes on
// PostgreSQL, the time to recover after a SIGKILL, and the store's per-run writes on SQLite
// (store-writes.ts: Kysely vs prepared statements vs group commit, synchronous NORMAL vs FULL).
// n8n and Node-RED are installed from npm into bench/.scratch/ (gitignored) when missing.
//
// Usage: node bench/engine/run.mjs [--seconds 15] [--only conflux,n8n,node-red,async,recovery,sqlite] [--profile]
//        node bench/engine/run.mjs --report   (rewrites the section from the last run's results)
// Writes the "Engine" section of bench/RESULTS.md and bench/.scratch/engine-results.json.
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeProfile } from '../lib/profile-summary.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
const scratch = join(repo, 'bench/.scratch');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1];
};
const seconds = Number(option('seconds', '15'));
const only = new Set(option('only', 'conflux,n8n,node-red,async,recovery,sqlite').split(','));
const profile = args.includes('--profile');
const CONNECTIONS = 50;
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const N8N_VERSION = '1.123.81'; // newest n8n whose engines accept Node 20 (2.16+ want Node >= 22.16)
const NODE_RED_VERSION = '4.1.14';
const PG_URL = 'postgres://postgres@127.0.0.1:5432';
const ports = {
  upstream: 19402,
  n8n: 19403,
  nodeRed: 19404,
  conflux: 19405,
  confluxAdmin: 19406,
  conflux2: 19407,
  conflux2Admin: 19408,
};
const payload = readFileSync(join(here, 'payload.json'), 'utf8').trim();
const children = new Set();
const results = {
  startedAt: new Date().toISOString(),
  seconds,
  connections: CONNECTIONS,
  machine: machine(),
  systems: {},
};

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function machine() {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? '?',
    node: process.version,
    loadavg: loadavg().map((n) => n.toFixed(1)),
  };
}

function log(text) {
  process.stderr.write(`[bench] ${text}\n`);
}

/** Starts a system-side process pinned to core 1; its output goes to bench/.scratch/logs/<name>.log. */
function start(name, command, commandArgs, env = {}, cwd = repo) {
  mkdirSync(join(scratch, 'logs'), { recursive: true });
  const child = spawn('taskset', ['-c', '1', command, ...commandArgs], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output += chunk;
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', () => {
    children.delete(child);
    writeFileSync(join(scratch, 'logs', `${name}.log`), output);
  });
  children.add(child);
  child.output = () => output;
  return child;
}

async function stop(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function until(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function getOk(url) {
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status >= 300) throw new Error(`${url} answered ${response.status}`);
  return true;
}

async function postOk(url) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: payload,
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

/** autocannon on core 0 at 50 connections; returns runs/s and latency percentiles. */
function load(url, duration, extra = []) {
  const command = [
    '-c',
    '0',
    process.execPath,
    join(repo, 'node_modules/autocannon/autocannon.js'),
    '-c',
    String(CONNECTIONS),
    '-d',
    String(duration),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    '-b',
    payload,
    '-j',
    ...extra,
    url,
  ];
  const out = execFileSync('taskset', command, {
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString();
  const report = JSON.parse(out);
  return {
    runsPerSecond: Math.round(report.requests.average),
    requests: report.requests.total,
    p50: report.latency.p50,
    p90: report.latency.p90,
    p99: report.latency.p99,
    max: report.latency.max,
    errors: report.errors + report.timeouts,
    non2xx: report.non2xx,
    command:
      `taskset -c 0 autocannon -c ${CONNECTIONS} -d ${duration} -m POST -H content-type=application/json -b @bench/engine/payload.json ${extra.join(' ')} ${url}`.replace(
        /\s+/g,
        ' ',
      ),
  };
}

/**
 * CPU seconds (user + system) used so far by a process and its descendants (n8n starts task
 * runners). On a shared machine runs/s depends on what else runs; CPU time per run does much less.
 */
function cpuSeconds(rootPid) {
  const parents = new Map();
  const ticks = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // the process ended meanwhile
    }
  }
  const inTree = (pid) => {
    for (let current = pid, hops = 0; current > 1 && hops < 64; current = parents.get(current) ?? 0, hops++) {
      if (current === rootPid) return true;
    }
    return false;
  };
  let total = 0;
  for (const [pid, value] of ticks) if (inTree(pid)) total += value;
  return total / CLOCK_TICKS;
}

function measure(name, url, pid) {
  log(`${name}: warm-up 3 s`);
  load(url, 3);
  log(`${name}: ${seconds} s at ${CONNECTIONS} connections`);
  const cpuBefore = cpuSeconds(pid);
  const result = { ...load(url, seconds), loadavg: loadavg().map((n) => n.toFixed(1)) };
  const cpu = cpuSeconds(pid) - cpuBefore;
  result.cpuSeconds = Number(cpu.toFixed(2));
  result.cpuMsPerRun = Number(((cpu * 1000) / Math.max(1, result.requests)).toFixed(2));
  result.runsPerCpuSecond = Math.round(result.requests / Math.max(0.01, cpu));
  log(
    `${name}: ${result.runsPerSecond} runs/s, p50 ${result.p50} ms, p90 ${result.p90} ms, p99 ${result.p99} ms, max ${result.max} ms, errors ${result.errors}, non-2xx ${result.non2xx}; ${result.cpuMsPerRun} ms CPU per run`,
  );
  return result;
}

/** npm install into bench/.scratch/<folder> when the package is missing. */
function ensureInstalled(folder, pkg, version, overrides) {
  const dir = join(scratch, folder);
  if (existsSync(join(dir, 'node_modules', pkg, 'package.json'))) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      { name: `${folder}-scratch`, private: true, ...(overrides ? { overrides } : {}) },
      null,
      2,
    ),
  );
  log(`installing ${pkg}@${version} into ${dir} (once)`);
  execFileSync('npm', ['install', '-E', `${pkg}@${version}`, '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: 'inherit',
    // n8n's tree includes @scarf/scarf, whose postinstall reports the install; opt out.
    env: { ...process.env, SCARF_ANALYTICS: 'false', DO_NOT_TRACK: '1' },
  });
  return dir;
}

function copyProject() {
  const dir = mkdtempSync(join(tmpdir(), 'conflux-bench-'));
  cpSync(join(here, 'project'), dir, { recursive: true, filter: (path) => !path.includes('.conflux') });
  return dir;
}

function confluxEnv(gateway, admin, extra = {}) {
  return {
    CONFLUX_GATEWAY_PORT: String(gateway),
    CONFLUX_ADMIN_PORT: String(admin),
    CONFLUX_GATEWAY_HOST: '127.0.0.1',
    CONFLUX_ADMIN_TOKEN: 'bench-admin-token-0123456789',
    CONFLUX_LOG_LEVEL: 'warn',
    ...extra,
  };
}

function startConflux(name, project, gateway, admin, extra = {}, nodeFlags = [], roles = 'all') {
  return start(
    name,
    process.execPath,
    [...nodeFlags, join(repo, 'bin/conflux.js'), 'start', '--project', project, '--role', roles],
    confluxEnv(gateway, admin, extra),
  );
}

async function sqlite(project) {
  const { default: Database } = await import('better-sqlite3');
  return new Database(join(project, '.conflux/conflux.db'), { readonly: true, fileMustExist: true });
}

// ---------------------------------------------------------------------------------------------

async function benchConflux() {
  const project = copyProject();
  const profileDir = join(scratch, 'profile');
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = startConflux('conflux', project, ports.conflux, ports.confluxAdmin, {}, flags);
  const url = `http://127.0.0.1:${ports.conflux}/hooks/bench`;
  await until('Conflux', () => postOk(url), 120_000);
  const sample = JSON.parse(await postOk(url));
  const result = measure('conflux (sync webhook, SQLite)', url, child.pid);
  await stop(child);
  const db = await sqlite(project);
  const runs = db
    .prepare(`SELECT count(*) AS n, sum(status = 'succeeded') AS ok FROM runs WHERE flow = 'bench'`)
    .get();
  const steps = db
    .prepare(
      `SELECT count(*) AS n FROM steps s JOIN runs r ON r.id = s.run_id WHERE r.flow = 'bench' AND s.status = 'succeeded'`,
    )
    .get();
  db.close();
  rmSync(project, { recursive: true, force: true });
  return {
    ...result,
    sample,
    durable: { runsStored: runs.n, runsSucceeded: runs.ok, stepCheckpoints: steps.n },
  };
}

async function benchNodeRed() {
  const dir = ensureInstalled('node-red', 'node-red', NODE_RED_VERSION);
  const userDir = join(scratch, 'node-red-home');
  rmSync(userDir, { recursive: true, force: true });
  mkdirSync(userDir, { recursive: true });
  cpSync(join(here, 'node-red-flows.json'), join(userDir, 'flows.json'));
  // The scratch folder sits inside this ESM package: Node-RED's generated settings.js is CommonJS.
  writeFileSync(
    join(userDir, 'package.json'),
    JSON.stringify({ name: 'node-red-home', private: true, type: 'commonjs' }),
  );
  const child = start('node-red', process.execPath, [
    join(dir, 'node_modules/node-red/red.js'),
    '--userDir',
    userDir,
    '--port',
    String(ports.nodeRed),
    'flows.json',
  ]);
  const url = `http://127.0.0.1:${ports.nodeRed}/bench`;
  await until('Node-RED', () => postOk(url), 120_000);
  const sample = JSON.parse(await postOk(url));
  const result = measure('node-red (no persistence)', url, child.pid);
  await stop(child);
  return { ...result, sample, version: NODE_RED_VERSION };
}

async function benchN8n() {
  // n8n pulls xlsx from cdn.sheetjs.com, which this machine cannot reach; the registry's 0.18.5
  // stands in (only spreadsheet nodes use it, not this flow). isolated-vm 6+ builds only against
  // Node 22's V8; 5.0.4 is the last release that builds on Node 20.
  const dir = ensureInstalled('n8n', 'n8n', N8N_VERSION, { xlsx: '0.18.5', 'isolated-vm': '5.0.4' });
  const home = join(scratch, 'n8n-home');
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  const env = {
    N8N_USER_FOLDER: home,
    N8N_PORT: String(ports.n8n),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_SECURE_COOKIE: 'false',
    N8N_LOG_LEVEL: 'warn',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    // The default 'vm' expression engine runs on isolated-vm 6, which builds only on Node 22+; with
    // 5.0.4 it fails under concurrency ('Evaluator disposed'), so n8n's long-standing engine is used.
    N8N_EXPRESSION_ENGINE: 'legacy',
  };
  const bin = join(dir, 'node_modules/n8n/bin/n8n');
  const cli = (cliArgs) =>
    execFileSync('taskset', ['-c', '1', process.execPath, bin, ...cliArgs], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    }).toString();
  log('n8n: import:workflow and activate');
  cli(['import:workflow', `--input=${join(here, 'n8n-workflow.json')}`]);
  cli(['update:workflow', '--id=benchEngineFlow01', '--active=true']);
  const child = start('n8n', process.execPath, [bin, 'start'], env);
  const url = `http://127.0.0.1:${ports.n8n}/webhook/bench`;
  await until('n8n', () => postOk(url), 300_000);
  // On a fresh database n8n registers the active workflow's webhook again shortly after it first
  // answers (a 404 between two 200s was seen): wait until it answers five times in a row.
  const steady = async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      await postOk(url);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return true;
  };
  await until('n8n to answer steadily', steady, 120_000);
  const sample = JSON.parse(await postOk(url));
  const result = measure('n8n (SQLite default, execution data saved)', url, child.pid);
  await stop(child);
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(home, '.n8n/database.sqlite'), { readonly: true });
  const executions = db
    .prepare(`SELECT count(*) AS n, sum(status = 'success') AS ok FROM execution_entity`)
    .get();
  db.close();
  return {
    ...result,
    sample,
    version: N8N_VERSION,
    durable: { executionsStored: executions.n, executionsSucceeded: executions.ok },
  };
}

/** Async path: 202 + queue on PostgreSQL, two `conflux start` processes sharing the queue. */
async function benchAsync() {
  const { default: pg } = await import('pg');
  const database = `conflux_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = `${PG_URL}/${database}`;
  const project = copyProject();
  try {
    // Scale-out as deployed: two worker processes (each with its admin listener, for its own
    // metrics) and one gateway-only process that accepts the webhooks and claims no run.
    const workers = [
      startConflux(
        'conflux-worker-1',
        project,
        0,
        ports.confluxAdmin,
        { CONFLUX_DATABASE_URL: url },
        [],
        'worker,admin',
      ),
      startConflux(
        'conflux-worker-2',
        project,
        0,
        ports.conflux2Admin,
        { CONFLUX_DATABASE_URL: url },
        [],
        'worker,admin',
      ),
    ];
    for (const port of [ports.confluxAdmin, ports.conflux2Admin]) {
      await until('a Conflux worker on PostgreSQL', () => getOk(`http://127.0.0.1:${port}/readyz`), 120_000);
    }
    const gatewayProcess = startConflux(
      'conflux-gateway',
      project,
      ports.conflux,
      0,
      { CONFLUX_DATABASE_URL: url },
      [],
      'gateway',
    );
    await until(
      'the Conflux gateway on PostgreSQL',
      () => postOk(`http://127.0.0.1:${ports.conflux}/hooks/bench`),
      120_000,
    );
    const hook = `http://127.0.0.1:${ports.conflux}/hooks/bench-async`;
    log(`async: ${seconds} s of webhooks into the gateway process, two workers drain the queue`);
    const accepted = load(hook, seconds);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const count = async () =>
      (
        await client.query(
          `SELECT count(*)::int AS n, sum(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END)::int AS ok, min(created_at)::bigint AS first, max(finished_at)::bigint AS last FROM runs WHERE flow = 'bench-async'`,
        )
      ).rows[0];
    await until(
      'the async backlog to drain',
      async () => {
        const row = await count();
        return row.ok === row.n && row.n > 0;
      },
      600_000,
    );
    const row = await count();
    // Which process ran how many: each one's own counter of finished runs.
    const perProcess = [];
    for (const port of [ports.confluxAdmin, ports.conflux2Admin]) {
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const line = metrics
        .split('\n')
        .find(
          (l) =>
            l.startsWith('conflux_runs_total') &&
            l.includes('flow="bench-async"') &&
            l.includes('status="succeeded"'),
        );
      perProcess.push(line === undefined ? 0 : Number(line.split(' ').at(-1)));
    }
    await client.end();
    await Promise.all([stop(gatewayProcess), ...workers.map((worker) => stop(worker))]);
    const span = (Number(row.last) - Number(row.first)) / 1000;
    const result = {
      accepted,
      runs: row.n,
      succeeded: row.ok,
      seconds: span,
      runsPerSecond: Math.round(row.n / span),
      workers: 2,
      runsPerProcess: perProcess,
    };
    log(
      `async: ${result.runs} runs in ${span.toFixed(1)} s → ${result.runsPerSecond} runs/s (accepted at ${accepted.runsPerSecond}/s)`,
    );
    return result;
  } finally {
    rmSync(project, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

/** SIGKILL during a backlog, restart, and time until the first interrupted run finishes. */
async function benchRecovery() {
  const project = copyProject();
  const hook = `http://127.0.0.1:${ports.conflux}/hooks/bench-async`;
  let child = startConflux('conflux-recovery-1', project, ports.conflux, ports.confluxAdmin);
  await until('Conflux', () => postOk(`http://127.0.0.1:${ports.conflux}/hooks/bench`), 120_000);
  log('recovery: 3,000 async webhooks, then SIGKILL');
  load(hook, 60, ['-a', '3000']);
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const killedAt = Date.now();
  let db = await sqlite(project);
  const pending = db
    .prepare(`SELECT count(*) AS n FROM runs WHERE flow = 'bench-async' AND status IN ('queued', 'running')`)
    .get().n;
  const interrupted = db
    .prepare(`SELECT count(*) AS n FROM runs WHERE flow = 'bench-async' AND status = 'running'`)
    .get().n;
  db.close();
  const restartedAt = Date.now();
  child = startConflux('conflux-recovery-2', project, ports.conflux, ports.confluxAdmin);
  await until('the restarted process', () => /gateway\s+http/.test(child.output()), 120_000);
  const readyAt = Date.now();
  db = await sqlite(project);
  const firstResumed = await until(
    'the first resumed run',
    () => {
      const row = db
        .prepare(
          `SELECT min(finished_at) AS at FROM runs WHERE flow = 'bench-async' AND status = 'succeeded' AND created_at < ? AND finished_at >= ?`,
        )
        .get(killedAt, restartedAt);
      return row.at ?? undefined;
    },
    120_000,
  );
  await until(
    'the backlog to drain',
    () =>
      db
        .prepare(
          `SELECT count(*) AS n FROM runs WHERE flow = 'bench-async' AND status IN ('queued', 'running')`,
        )
        .get().n === 0,
    600_000,
  );
  const drainedAt = db.prepare(`SELECT max(finished_at) AS at FROM runs WHERE flow = 'bench-async'`).get().at;
  const totals = db
    .prepare(`SELECT count(*) AS n, sum(status = 'succeeded') AS ok FROM runs WHERE flow = 'bench-async'`)
    .get();
  db.close();
  await stop(child);
  rmSync(project, { recursive: true, force: true });
  const result = {
    pendingAtKill: pending,
    runningAtKill: interrupted,
    restartToReadyMs: readyAt - restartedAt,
    restartToFirstResumedRunMs: firstResumed - restartedAt,
    readyToFirstResumedRunMs: firstResumed - readyAt,
    restartToDrainedMs: drainedAt - restartedAt,
    runs: totals.n,
    succeeded: totals.ok,
  };
  log(`recovery: ${JSON.stringify(result)}`);
  return result;
}

/** The store's per-run writes: Kysely vs prepared statements vs group commit (store-writes.ts), on core 1. */
function benchSqlite() {
  const output = execFileSync(
    'taskset',
    ['-c', '1', process.execPath, '--import', 'tsx', join(here, 'store-writes.ts')],
    { cwd: repo, timeout: 300_000 },
  ).toString();
  const rows = JSON.parse(output.trim().split('\n').at(-1));
  for (const row of rows)
    log(
      `sqlite ${row.synchronous} ${row.label}: ${row.runsPerSecond} runs/s, ${row.cpuMsPerRun} ms CPU per run`,
    );
  return { rows, command: 'node --import tsx bench/engine/store-writes.ts' };
}

// ---------------------------------------------------------------------------------------------

// --report: rewrite the section from the last run's bench/.scratch/engine-results.json.
if (args.includes('--report')) {
  writeResults(JSON.parse(readFileSync(join(scratch, 'engine-results.json'), 'utf8')));
  process.exit(0);
}

// Conflux runs as installed (`npm start`): the compiled dist/, not TypeScript through tsx.
if (['conflux', 'async', 'recovery'].some((name) => only.has(name))) {
  log('npm run build');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: 'inherit' });
}
const upstream = start('upstream', process.execPath, [join(here, 'upstream.mjs'), String(ports.upstream)]);
await until(
  'the upstream',
  async () => (await fetch(`http://127.0.0.1:${ports.upstream}/enrich`, { method: 'POST', body: '{}' })).ok,
  30_000,
);

const steps = [
  ['node-red', benchNodeRed],
  ['n8n', benchN8n],
  ['conflux', benchConflux],
  ['async', benchAsync],
  ['recovery', benchRecovery],
  ['sqlite', benchSqlite],
];
for (const [name, run] of steps) {
  if (!only.has(name)) continue;
  try {
    results.systems[name] = await run();
  } catch (error) {
    log(`${name} failed: ${error.stack ?? error}`);
    results.systems[name] = { failed: String(error.message ?? error).slice(0, 2000) };
  }
}
await stop(upstream);
results.finishedAt = new Date().toISOString();
results.machineAfter = machine();
if (profile) results.profile = summarizeProfile(join(scratch, 'profile'));
mkdirSync(scratch, { recursive: true });
writeFileSync(join(scratch, 'engine-results.json'), `${JSON.stringify(results, null, 2)}\n`);
writeResults(results);
log('wrote bench/RESULTS.md (engine section) and bench/.scratch/engine-results.json');
process.exit(0);

function writeResults(r) {
  const s = r.systems;
  const fmt = (x) => (x === undefined ? 'n/a' : String(x));
  const row = (label, x) =>
    x === undefined
      ? ''
      : x.failed !== undefined
        ? `| ${label} | did not run: ${x.failed.split('\n')[0].slice(0, 160)} | | | | | | |\n`
        : `| ${label} | ${fmt(x.runsPerSecond)} | ${fmt(x.p50)} | ${fmt(x.p90)} | ${fmt(x.p99)} | ${fmt(x.errors)} / ${fmt(x.non2xx)} | ${fmt(x.cpuMsPerRun)} | ${fmt(x.runsPerCpuSecond)} |\n`;
  const ratio = (a, b) =>
    a?.runsPerSecond && b?.runsPerSecond ? (a.runsPerSecond / b.runsPerSecond).toFixed(1) : 'n/a';
  let text = '<!-- engine:start -->\n## Engine (bench/engine)\n\n';
  text += `Run ${r.startedAt} on ${r.machine.cpus} cores (${r.machine.model}), Node ${r.machine.node}; load average before ${r.machine.loadavg.join(' ')}, after ${r.machineAfter.loadavg.join(' ')}. `;
  text += `Flow: webhook → map five fields (one a date reformat) → HTTP call to a local upstream → respond; ${r.connections} connections, ${r.seconds} s after a 3 s warm-up. Load generator (autocannon) on core 0, system under test and upstream on core 1.\n\n`;
  text +=
    '| system | runs/s | p50 ms | p90 ms | p99 ms | errors / non-2xx | CPU ms per run | runs per CPU-second |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n';
  text += row('Conflux (sync webhook; every run and step checkpointed in SQLite)', s.conflux);
  text += row(`n8n ${N8N_VERSION} (SQLite default, execution data saved)`, s.n8n);
  text += row(`Node-RED ${NODE_RED_VERSION} (no persistence)`, s['node-red']);
  const cpuRatio = (a, b) =>
    a?.runsPerCpuSecond && b?.runsPerCpuSecond ? (a.runsPerCpuSecond / b.runsPerCpuSecond).toFixed(1) : 'n/a';
  text += `\nRatios of runs/s: Conflux / n8n = **${ratio(s.conflux, s.n8n)}×** (target ≥ 20×); Conflux / Node-RED = ${ratio(s.conflux, s['node-red'])}×. `;
  text += `Ratios of runs per CPU-second (less sensitive to other load on the machine): Conflux / n8n = ${cpuRatio(s.conflux, s.n8n)}×; Conflux / Node-RED = ${cpuRatio(s.conflux, s['node-red'])}×.\n`;
  if (s.conflux?.durable)
    text += `Conflux stored ${s.conflux.durable.runsStored} runs (${s.conflux.durable.runsSucceeded} succeeded) with ${s.conflux.durable.stepCheckpoints} step checkpoints.\n`;
  if (s.n8n?.durable)
    text += `n8n stored ${s.n8n.durable.executionsStored} executions (${s.n8n.durable.executionsSucceeded} success).\n`;
  if (s.async) {
    text +=
      s.async.failed !== undefined
        ? `\nAsync path: did not run: ${s.async.failed.split('\n')[0]}\n`
        : `\nAsync path (202 + queue) on PostgreSQL: one \`conflux start --role gateway\` process accepting webhooks, two \`--role worker,admin\` processes draining the queue: webhooks accepted at ${s.async.accepted.runsPerSecond}/s (p99 ${s.async.accepted.p99} ms); ${s.async.runs} runs, ${s.async.succeeded} succeeded, processed at **${s.async.runsPerSecond} runs/s** (first created → last finished, ${s.async.seconds.toFixed(1)} s; runs finished per worker: ${s.async.runsPerProcess.join(' and ')}). Processes and PostgreSQL are not pinned.\n`;
  }
  if (s.recovery) {
    text +=
      s.recovery.failed !== undefined
        ? `\nRecovery: did not run: ${s.recovery.failed.split('\n')[0]}\n`
        : `\nRecovery after SIGKILL (SQLite, 3,000 async webhooks, killed right after the last 202 with ${s.recovery.pendingAtKill} runs pending, ${s.recovery.runningAtKill} of them mid-run): restart → first resumed run finished in **${s.recovery.restartToFirstResumedRunMs} ms** (${s.recovery.readyToFirstResumedRunMs < 0 ? `before /readyz first answered, ${s.recovery.restartToReadyMs} ms after restart: the resumed runs start while the listeners open` : `process start ${s.recovery.restartToReadyMs} ms, then ${s.recovery.readyToFirstResumedRunMs} ms`}); backlog drained ${s.recovery.restartToDrainedMs} ms after restart; ${s.recovery.succeeded}/${s.recovery.runs} runs succeeded.\n`;
  }
  if (s.sqlite && s.sqlite.failed === undefined) {
    text +=
      "\nThe store's writes per sync run (create under a lease, two step checkpoints, finish) on SQLite in WAL mode, alone on core 1 (`" +
      s.sqlite.command +
      '`):\n\n| path | synchronous | runs in flight | runs/s | CPU ms per run |\n| --- | --- | ---: | ---: | ---: |\n';
    for (const row of s.sqlite.rows)
      text += `| ${row.label} | ${row.synchronous} | ${row.inFlight} | ${row.runsPerSecond} | ${row.cpuMsPerRun} |\n`;
  }
  if (r.profile) {
    text += `\nCPU profile of the Conflux process (\`--profile\`; ${r.profile.note}). By module: ${r.profile.modules.map((p) => `${p.name} ${p.percent}%`).join(', ')}.\n`;
    text += `Top functions (self time): ${r.profile.functions.map((p) => `${p.name} ${p.percent}%`).join('; ')}.\n`;
  }
  text += `\nCommand: \`node bench/engine/run.mjs --seconds ${r.seconds}${r.profile ? ' --profile' : ''}\`; per system: \`${s.conflux?.command ?? s.n8n?.command ?? ''}\`.\n<!-- engine:end -->\n`;
  const file = join(repo, 'bench/RESULTS.md');
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmark results\n\nRecorded by the scripts under bench/; each section says how it was run. Figures depend on the machine and its load: compare rows of one run, not runs.\n\n';
  const next = /<!-- engine:start -->[\s\S]*<!-- engine:end -->\n?/.test(current)
    ? current.replace(/<!-- engine:start -->[\s\S]*<!-- engine:end -->\n?/, text)
    : `${current.trimEnd()}\n\n${text}`;
  writeFileSync(file, next);
}
