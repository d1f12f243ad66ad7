// An open-model load generator: requests are *scheduled* at a fixed rate whatever the answers
// do, and each latency is measured from its scheduled start, so a stall is not hidden
// (no coordinated omission, unlike closed-loop tools such as wrk at fixed concurrency).
// Usage: node open-model.mjs URL RATE SECONDS [header:value ...] → JSON on stdout.
import { Agent, request } from 'undici';

const [url, rateText, secondsText, ...headerArgs] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
const headers = Object.fromEntries(
  headerArgs.map((h) => [h.slice(0, h.indexOf(':')), h.slice(h.indexOf(':') + 1)]),
);
const dispatcher = new Agent({ connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });
// The first second warms connections and the JIT on both sides and is not measured.
const warmup = rate;
const total = Math.round(rate * seconds) + warmup;
const intervalNs = 1e9 / rate;
const latencies = new Float64Array(total);
let errors = 0;
let done = 0;
const start = process.hrtime.bigint();

await new Promise((resolve) => {
  let sent = 0;
  const tick = () => {
    const elapsed = Number(process.hrtime.bigint() - start);
    const due = Math.min(total, Math.floor(elapsed / intervalNs) + 1);
    while (sent < due) {
      const index = sent++;
      const scheduled = start + BigInt(Math.round(index * intervalNs));
      request(url, { dispatcher, headers })
        .then(async (response) => {
          await response.body.dump();
          if (response.statusCode >= 400 && index >= warmup) errors++;
        })
        .catch(() => {
          if (index >= warmup) errors++;
        })
        .finally(() => {
          latencies[index] = Number(process.hrtime.bigint() - scheduled) / 1e6;
          if (++done === total) resolve();
        });
    }
    if (sent < total) setImmediate(tick);
  };
  tick();
});

const sorted = Array.from(latencies.subarray(warmup)).sort((a, b) => a - b);
const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
process.stdout.write(
  `${JSON.stringify({ rate, seconds, requests: total - warmup, errors, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) })}\n`,
);
await dispatcher.close();
