#!/usr/bin/env node
// Gateway benchmark: the upstream alone, nginx, and Conflux with increasing policy chains,
// side by side in one run. Load generator on core 0, system under test (and its upstream) on
// core 1. Needs wrk and nginx (Debian packages). Usage: node bench/gateway/run.mjs [seconds] [--profile]
// Writes the table into bench/RESULTS.md (between the gateway markers); --profile adds where
// Conflux's CPU went (V8 CPU profile of the whole run).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { summarizeProfile } from '../lib/profile-summary.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
const args = process.argv.slice(2);
const profile = args.includes('--profile');
// --only c,d measures some scenarios (for profiling one); the table is printed, not recorded.
const onlyArg = args.indexOf('--only');
const only = onlyArg === -1 ? undefined : new Set(args[onlyArg + 1].split(','));
const seconds = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 10);
const loadBefore = loadavg().map((n) => n.toFixed(1));
const startedAt = new Date().toISOString();
const fixedRate = 2000;
const ports = { upstream: 19300, nginx: 19301, gateway: 19302, admin: 19303, bare: 19304 };
const adminToken = `cfxadm_bench${Math.random().toString(36).slice(2)}`;
const children = [];

function start(name, command, args, env = {}) {
  const child = spawn('taskset', ['-c', '1', command, ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.on('data', (chunk) => process.stderr.write(`[${name}] ${chunk}`));
  children.push(child);
  return child;
}

async function waitFor(url, headers = {}) {
  for (let i = 0; i < 200; i++) {
    try {
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

async function adminPost(url, headers, body) {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

function wrk(url, headers) {
  const headerArgs = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const text = execFileSync('taskset', [
    '-c',
    '0',
    'wrk',
    '-t1',
    '-c64',
    `-d${seconds}s`,
    '--latency',
    ...headerArgs,
    url,
  ]).toString();
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
  const latency = (q) => toMs(new RegExp(`^\\s+${q}%\\s+([\\d.]+\\w+)`, 'm').exec(text)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  return { rps, p50: latency(50), p99: latency(99), non2xx };
}

function toMs(value) {
  const match = /^([\d.]+)(us|ms|s)$/.exec(value ?? '');
  if (match === null) return Number.NaN;
  return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]];
}

function openModel(url, headers) {
  const headerArgs = Object.entries(headers).map(([k, v]) => `${k}:${v}`);
  const text = execFileSync('taskset', [
    '-c',
    '0',
    process.execPath,
    join(here, 'open-model.mjs'),
    url,
    String(fixedRate),
    String(seconds),
    ...headerArgs,
  ]).toString();
  return JSON.parse(text);
}

const scratch = mkdtempSync(join(tmpdir(), 'conflux-bench-'));
try {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: 'inherit' });
  const project = join(scratch, 'project');
  execFileSync('cp', ['-r', join(here, 'project'), project]);
  // (e): an ES256 issuer key; its public half is the JWKS the upstream serves to the gateway.
  const issuerKeys = await generateKeyPair('ES256');
  const jwksFile = join(scratch, 'jwks.json');
  const publicJwk = { ...(await exportJWK(issuerKeys.publicKey)), kid: 'bench-1', alg: 'ES256', use: 'sig' };
  writeFileSync(jwksFile, JSON.stringify({ keys: [publicJwk] }));
  const accessToken = await new SignJWT({ scope: 'products:read', consumer: 'bench' })
    .setProtectedHeader({ alg: 'ES256', kid: 'bench-1', typ: 'at+jwt' })
    .setIssuer('https://issuer.bench.test/')
    .setAudience('bench-api')
    .setSubject('bench')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(issuerKeys.privateKey);

  start('upstream', process.execPath, [join(here, 'upstream.mjs'), String(ports.upstream), jwksFile]);
  const nginxPrefix = join(scratch, 'nginx');
  mkdirSync(nginxPrefix);
  writeFileSync(
    join(nginxPrefix, 'nginx.conf'),
    readFileSync(join(here, 'nginx.conf.template'), 'utf8')
      .replaceAll('__PREFIX__', nginxPrefix)
      .replaceAll('__UPSTREAM_PORT__', String(ports.upstream))
      .replaceAll('__PORT__', String(ports.nginx)),
  );
  start('bare proxy', process.execPath, [
    join(here, 'bare-proxy.mjs'),
    String(ports.bare),
    `http://127.0.0.1:${ports.upstream}`,
  ]);
  start('nginx', 'nginx', ['-p', nginxPrefix, '-c', join(nginxPrefix, 'nginx.conf')]);
  // The access log is part of what (d) measures: it goes to a file, as in production.
  const logFile = join(scratch, 'conflux.log');
  const conflux = spawn(
    'sh',
    [
      '-c',
      `exec taskset -c 1 "${process.execPath}" ${profile ? `--cpu-prof --cpu-prof-dir="${join(scratch, 'profile')}"` : ''} bin/conflux.js start --project "${project}" > "${logFile}" 2>&1`,
    ],
    {
      cwd: repo,
      env: { ...process.env, CONFLUX_LOG_LEVEL: 'info', CONFLUX_ADMIN_TOKEN: adminToken },
      stdio: 'ignore',
    },
  );
  children.push(conflux);

  // The benchmark's caller is an internal consumer (the APIs are private) allowed the scope (e)
  // requires; its key is issued through the admin API as an operator would.
  const admin = `http://127.0.0.1:${ports.admin}/api/v1`;
  await waitFor(`http://127.0.0.1:${ports.admin}/readyz`);
  const adminHeaders = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  await adminPost(`${admin}/consumers`, adminHeaders, {
    name: 'bench',
    type: 'internal',
    scopes: ['products:read'],
  });
  const { key } = await adminPost(`${admin}/keys`, adminHeaders, { consumer: 'bench' });

  const upstreamUrl = `http://127.0.0.1:${ports.upstream}/products/SKU-1001`;
  const scenarios = [
    { id: 'a', name: 'upstream alone (node:http)', url: upstreamUrl, headers: {} },
    {
      id: 'b',
      name: 'nginx reverse proxy (keep-alive upstream)',
      url: `http://127.0.0.1:${ports.nginx}/products/SKU-1001`,
      headers: {},
    },
    {
      id: 'b2',
      name: 'bare node:http + undici proxy (no routing, policies, logs, metrics)',
      url: `http://127.0.0.1:${ports.bare}/products/SKU-1001`,
      headers: {},
    },
    {
      id: 'c',
      name: 'Conflux proxy, no policies',
      url: `http://127.0.0.1:${ports.gateway}/open/products/SKU-1001`,
      headers: {},
    },
    {
      id: 'd',
      name: 'Conflux: API key + rate limit + access log + metrics',
      url: `http://127.0.0.1:${ports.gateway}/keyed/products/SKU-1001`,
      headers: { 'x-api-key': key },
    },
    {
      id: 'e',
      name: 'Conflux: JWT (ES256) + rate limit + request validation + access log + metrics',
      url: `http://127.0.0.1:${ports.gateway}/jwt/products/SKU-1001?fields=price`,
      headers: { authorization: `Bearer ${accessToken}` },
    },
  ];
  for (const scenario of scenarios) await waitFor(scenario.url, scenario.headers);

  const rows = [];
  for (const scenario of scenarios.filter((s) => only === undefined || only.has(s.id))) {
    wrk(scenario.url, scenario.headers); // warm-up: JIT, pools, caches
    const closed = wrk(scenario.url, scenario.headers);
    const open = openModel(scenario.url, scenario.headers);
    rows.push({ ...scenario, closed, open });
    process.stderr.write(`${scenario.id}: ${JSON.stringify({ closed, open })}\n`);
  }
  if (only !== undefined) {
    process.stdout.write(
      `${JSON.stringify(
        rows.map(({ id, closed, open }) => ({ id, closed, open })),
        null,
        1,
      )}\n`,
    );
    await stopConflux();
    if (profile) console.log(JSON.stringify(summarizeProfile(join(scratch, 'profile'), 40), null, 1));
  } else {
    writeSection(await summarize(rows));
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  // BENCH_KEEP=1 keeps the scratch folder (project, logs, CPU profile) for a closer look.
  if (process.env.BENCH_KEEP === undefined) rmSync(scratch, { recursive: true, force: true });
  else process.stderr.write(`kept ${scratch}\n`);
}

/** The RESULTS.md section: conditions, table, ratios and (with --profile) where the CPU went. */
async function summarize(rows) {
  const nginxRps = rows.find((row) => row.id === 'b').closed.rps;
  const upstreamP99 = rows.find((row) => row.id === 'a').open.p99;
  const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
  const table = [
    '| scenario | req/s (wrk, 64 conns) | p50 ms | p99 ms | × nginx | p99 at 2,000 req/s (open model) | added p99 vs (a) | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| (${row.id}) ${row.name} | ${fmt(row.closed.rps, 0)} | ${fmt(row.closed.p50)} | ${fmt(row.closed.p99)} | ${fmt(row.closed.rps / nginxRps)} | ${fmt(row.open.p99)} ms | ${row.id === 'a' ? '—' : `${fmt(row.open.p99 - upstreamP99)} ms`} | ${row.closed.non2xx + row.open.errors} |`,
    ),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  const row = (id) => rows.find((r) => r.id === id);
  const summary = [
    `Run ${startedAt} on ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, ${seconds} s per measurement after an equal warm-up; load average before ${loadBefore.join(' ')}, after ${loadavg()
      .map((n) => n.toFixed(1))
      .join(
        ' ',
      )}. wrk (1 thread, 64 connections) on core 0; the system under test and the upstream on core 1; the open-model generator (bench/gateway/open-model.mjs, latency from each request's scheduled start) on core 0.`,
    '',
    table,
    '',
    `Ratios to nginx (b): (d) ${fmt(row('d').closed.rps / nginxRps)}× (target ≥ 0.5×), (e) ${fmt(row('e').closed.rps / nginxRps)}×. Ratios to the bare Node proxy (b2): (c) ${fmt(row('c').closed.rps / row('b2').closed.rps)}×, (d) ${fmt(row('d').closed.rps / row('b2').closed.rps)}×, (e) ${fmt(row('e').closed.rps / row('b2').closed.rps)}×. Added p99 over (a) at 2,000 req/s: (d) ${fmt(row('d').open.p99 - upstreamP99)} ms (target ≤ 1 ms).`,
  ];
  await stopConflux();
  if (profile) {
    const cpu = summarizeProfile(join(scratch, 'profile'));
    if (cpu !== undefined) {
      summary.push(
        '',
        `CPU profile of the Conflux process over the whole run (${cpu.note}). By module: ${cpu.modules.map((p) => `${p.name} ${p.percent}%`).join(', ')}.`,
        `Top functions (self time): ${cpu.functions.map((p) => `${p.name} ${p.percent}%`).join('; ')}.`,
      );
    }
  }
  summary.push('', `Command: \`node bench/gateway/run.mjs ${seconds}${profile ? ' --profile' : ''}\`.`);
  return summary.join('\n');
}

/** SIGINT lets Conflux shut down cleanly, which is when V8 writes the CPU profile. */
async function stopConflux() {
  const conflux = children.at(-1);
  if (conflux.exitCode !== null) return;
  const exited = new Promise((resolve) => conflux.once('exit', resolve));
  conflux.kill('SIGINT');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
}

/** Replaces the gateway section of bench/RESULTS.md (the hand-written notes beside it stay). */
function writeSection(text) {
  const file = join(here, '../RESULTS.md');
  const start = '<!-- gateway:start -->';
  const end = '<!-- gateway:end -->';
  const section = `${start}\n## Gateway (bench/gateway)\n\n${text}\n${end}`;
  const current = readFileSync(file, 'utf8');
  const next = current.includes(start)
    ? current.slice(0, current.indexOf(start)) + section + current.slice(current.indexOf(end) + end.length)
    : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
