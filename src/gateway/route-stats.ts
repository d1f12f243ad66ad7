/**
 * Live numbers per API route over a rolling window: a fixed ring of the last samples per
 * route (time, status, latency) in typed arrays, so recording is a few stores and memory is
 * bounded. Percentiles are computed when someone asks (the admin API), not per request.
 */
export interface RouteStatsSnapshot {
  readonly route: string;
  readonly method: string;
  readonly version: string;
  /** Requests since the process started. */
  readonly total: number;
  readonly window: {
    readonly seconds: number;
    readonly count: number;
    readonly status: {
      readonly '2xx': number;
      readonly '3xx': number;
      readonly '4xx': number;
      readonly '5xx': number;
    };
    readonly latencyMs: {
      readonly p50: number;
      readonly p90: number;
      readonly p99: number;
      readonly max: number;
    };
  };
}

class RouteSamples {
  total = 0;
  private next = 0;
  private filled = 0;
  private readonly at: Float64Array;
  private readonly status: Uint16Array;
  private readonly ms: Float32Array;

  constructor(
    readonly method: string,
    readonly route: string,
    readonly version: string,
    capacity: number,
  ) {
    this.at = new Float64Array(capacity);
    this.status = new Uint16Array(capacity);
    this.ms = new Float32Array(capacity);
  }

  record(now: number, status: number, ms: number): void {
    this.at[this.next] = now;
    this.status[this.next] = status;
    this.ms[this.next] = ms;
    this.next = (this.next + 1) % this.at.length;
    if (this.filled < this.at.length) this.filled++;
    this.total++;
  }

  snapshot(now: number, windowMs: number): RouteStatsSnapshot {
    const classes = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
    const latencies: number[] = [];
    for (let i = 0; i < this.filled; i++) {
      if (now - (this.at[i] as number) > windowMs) continue;
      const status = this.status[i] as number;
      const key = status >= 500 ? '5xx' : status >= 400 ? '4xx' : status >= 300 ? '3xx' : '2xx';
      classes[key]++;
      latencies.push(this.ms[i] as number);
    }
    latencies.sort((a, b) => a - b);
    const pick = (q: number) =>
      round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0);
    return {
      route: this.route,
      method: this.method,
      version: this.version,
      total: this.total,
      window: {
        seconds: windowMs / 1000,
        count: latencies.length,
        status: classes,
        latencyMs: { p50: pick(0.5), p90: pick(0.9), p99: pick(0.99), max: round(latencies.at(-1) ?? 0) },
      },
    };
  }
}

export class RouteStats {
  private readonly apis = new Map<string, Map<string, RouteSamples>>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly samplesPerRoute = 4_096,
  ) {}

  record(api: string, method: string, route: string, version: string, status: number, ms: number): void {
    let routes = this.apis.get(api);
    if (routes === undefined) {
      routes = new Map();
      this.apis.set(api, routes);
    }
    const key = `${method} ${route} ${version}`;
    let samples = routes.get(key);
    if (samples === undefined) {
      samples = new RouteSamples(method, route, version, this.samplesPerRoute);
      routes.set(key, samples);
    }
    samples.record(Date.now(), status, ms);
  }

  /** The API's routes that have seen traffic, or undefined when none has. */
  snapshot(api: string): RouteStatsSnapshot[] | undefined {
    const routes = this.apis.get(api);
    if (routes === undefined) return undefined;
    const now = Date.now();
    return [...routes.values()].map((samples) => samples.snapshot(now, this.windowMs));
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
