#!/usr/bin/env node
// Gateway benchmark: the upstream alone, nginx, and Conflux with increasing policy chains,
// side by side in one run. Load generator on core 0, system under test (and its upstream) on
// core 1. Needs wrk and nginx (Debian packages). Usage: node bench/gateway/run.mjs [seconds]
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
const seconds = Number(process.argv[2] ?? 10);
const fixedRate = 2000;
const ports = { upstream: 19300, nginx: 19301, gateway: 19302 };
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
  const key = JSON.parse(
    execFileSync(
      process.execPath,
      [join(repo, 'bin/conflux.js'), 'key', 'create', '--consumer', 'bench', '--json', '--project', project],
      {
        env: { ...process.env, CONFLUX_LOG_LEVEL: 'warn' },
      },
    ).toString(),
  ).key;

  start('upstream', process.execPath, [join(here, 'upstream.mjs'), String(ports.upstream)]);
  const nginxPrefix = join(scratch, 'nginx');
  mkdirSync(nginxPrefix);
  writeFileSync(
    join(nginxPrefix, 'nginx.conf'),
    readFileSync(join(here, 'nginx.conf.template'), 'utf8')
      .replaceAll('__PREFIX__', nginxPrefix)
      .replaceAll('__UPSTREAM_PORT__', String(ports.upstream))
      .replaceAll('__PORT__', String(ports.nginx)),
  );
  start('nginx', 'nginx', ['-p', nginxPrefix, '-c', join(nginxPrefix, 'nginx.conf')]);
  // The access log is part of what (d) measures: it goes to a file, as in production.
  const logFile = join(scratch, 'conflux.log');
  const conflux = spawn(
    'sh',
    [
      '-c',
      `exec taskset -c 1 "${process.execPath}" bin/conflux.js start --project "${project}" > "${logFile}" 2>&1`,
    ],
    {
      cwd: repo,
      env: { ...process.env, CONFLUX_LOG_LEVEL: 'info' },
      stdio: 'ignore',
    },
  );
  children.push(conflux);

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
      id: 'c',
      name: 'Conflux proxy, no policies',
      url: `http://127.0.0.1:${ports.gateway}/open/products/SKU-1001`,
      headers: {},
    },
    {
      id: 'd',
      name: 'Conflux: API key + access log + metrics',
      url: `http://127.0.0.1:${ports.gateway}/keyed/products/SKU-1001`,
      headers: { 'x-api-key': key },
    },
  ];
  for (const scenario of scenarios) await waitFor(scenario.url, scenario.headers);

  const rows = [];
  for (const scenario of scenarios) {
    wrk(scenario.url, scenario.headers); // warm-up: JIT, pools, caches
    const closed = wrk(scenario.url, scenario.headers);
    const open = openModel(scenario.url, scenario.headers);
    rows.push({ ...scenario, closed, open });
    process.stderr.write(`${scenario.id}: ${JSON.stringify({ closed, open })}\n`);
  }
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
  writeFileSync(join(here, 'last-run.md'), `${table}\n`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  rmSync(scratch, { recursive: true, force: true });
}
