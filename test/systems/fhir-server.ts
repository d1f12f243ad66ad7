/**
 * A FHIR R4-like server on 127.0.0.1 for tests: Patients in memory, searchset Bundles paged
 * through `link[relation=next]`, `_lastUpdated` prefixes (gt, ge, lt, le, eq), and every error
 * as an OperationOutcome, as HAPI and other R4 servers answer them.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Patient {
  resourceType: 'Patient';
  id: string;
  meta: { versionId: string; lastUpdated: string };
  identifier?: { system: string; value: string }[];
  name?: { family?: string; given?: string[] }[];
  gender?: string;
  birthDate?: string;
  [field: string]: unknown;
}

export interface FhirServer {
  readonly origin: string;
  /** `<origin>/fhir`: the system's base URL. */
  readonly base: string;
  readonly patients: Map<string, Patient>;
  /** Requests as received: method, path with query, accept, content-type. */
  readonly requests: { method: string; url: string; accept: string; contentType: string }[];
  /** Adds a patient updated at `lastUpdated` (ISO instant). */
  add(id: string, lastUpdated: string, fields?: Partial<Patient>): Patient;
  /** The next request answers 500 with an OperationOutcome `exception`. */
  failNext(): void;
  /** Bearer token the server accepts; undefined accepts anything. */
  token: string | undefined;
  close(): Promise<void>;
}

const FHIR_JSON = 'application/fhir+json';
const capability = readFileSync(new URL('./fixtures/fhir-capability.json', import.meta.url), 'utf8');

const outcome = (code: string, diagnostics: string, expression?: string[]) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code, diagnostics, ...(expression === undefined ? {} : { expression }) }],
});

function matchesInstant(value: string, filters: readonly string[]): boolean {
  return filters.every((filter) => {
    const match = /^(gt|ge|lt|le|eq)?(.+)$/.exec(filter);
    const prefix = match?.[1] ?? 'eq';
    const bound = Date.parse(match?.[2] ?? '');
    const at = Date.parse(value);
    if (Number.isNaN(bound)) return false;
    return prefix === 'gt'
      ? at > bound
      : prefix === 'ge'
        ? at >= bound
        : prefix === 'lt'
          ? at < bound
          : prefix === 'le'
            ? at <= bound
            : at === bound;
  });
}

export async function startFhirServer(): Promise<FhirServer> {
  const patients = new Map<string, Patient>();
  const requests: FhirServer['requests'] = [];
  let failing = false;
  let origin = '';

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    res
      .writeHead(status, { 'content-type': `${FHIR_JSON}; charset=utf-8`, ...headers })
      .end(JSON.stringify(body));
  };

  function search(res: ServerResponse, url: URL): void {
    const q = url.searchParams;
    let list = [...patients.values()];
    const updated = q.getAll('_lastUpdated');
    if (updated.length > 0) list = list.filter((p) => matchesInstant(p.meta.lastUpdated, updated));
    const family = q.get('family');
    if (family !== null)
      list = list.filter((p) =>
        p.name?.some((n) => n.family?.toLowerCase().startsWith(family.toLowerCase())),
      );
    list.sort((a, b) => a.meta.lastUpdated.localeCompare(b.meta.lastUpdated) || a.id.localeCompare(b.id));
    const count = Number(q.get('_count') ?? 10);
    const offset = Number(q.get('_getpagesoffset') ?? 0);
    const page = list.slice(offset, offset + count);
    const link = [{ relation: 'self', url: `${origin}${url.pathname}${url.search}` }];
    if (offset + count < list.length) {
      const next = new URLSearchParams(q);
      next.set('_getpagesoffset', String(offset + count));
      link.push({ relation: 'next', url: `${origin}${url.pathname}?${next}` });
    }
    send(res, 200, {
      resourceType: 'Bundle',
      type: 'searchset',
      total: list.length,
      link,
      entry: page.map((resource) => ({
        fullUrl: `${origin}/fhir/Patient/${resource.id}`,
        resource,
        search: { mode: 'match' },
      })),
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: req.method ?? '',
      url: url.pathname + url.search,
      accept: req.headers.accept ?? '',
      contentType: req.headers['content-type'] ?? '',
    });
    let text = '';
    for await (const chunk of req) text += chunk;
    if (server.token !== undefined && req.headers.authorization !== `Bearer ${server.token}`) {
      return send(res, 401, outcome('login', 'The access token is missing, expired or revoked'));
    }
    if (failing) {
      failing = false;
      return send(res, 500, outcome('exception', 'Database connection lost'));
    }
    const path = url.pathname.replace(/^\/fhir/, '');
    if (req.method === 'GET' && path === '/metadata')
      return void res.writeHead(200, { 'content-type': FHIR_JSON }).end(capability);
    if (req.method === 'GET' && path === '/Patient') return search(res, url);
    if (req.method === 'GET' && path === '/Observation')
      return send(res, 200, { resourceType: 'Bundle', type: 'searchset', total: 0, link: [], entry: [] });
    const item = /^\/Patient\/([A-Za-z0-9\-.]+)$/.exec(path);
    if (req.method === 'GET' && item !== null) {
      const found = patients.get(item[1] as string);
      return found === undefined
        ? send(res, 404, outcome('not-found', `Resource Patient/${item[1]} is not known`))
        : send(res, 200, found);
    }
    if (req.method === 'POST' && path === '/Patient') {
      if (!String(req.headers['content-type']).startsWith(FHIR_JSON))
        return send(
          res,
          415,
          outcome('not-supported', `Content-Type ${req.headers['content-type']} is not supported`),
        );
      const body = JSON.parse(text) as Partial<Patient>;
      if (body.resourceType !== 'Patient')
        return send(res, 400, outcome('structure', 'resourceType must be Patient', ['Patient.resourceType']));
      if (body.name === undefined || body.name.length === 0)
        return send(
          res,
          422,
          outcome('required', 'Patient.name: minimum required = 1, but only found 0', ['Patient.name']),
        );
      const identifier = body.identifier?.[0]?.value;
      if (
        identifier !== undefined &&
        [...patients.values()].some((p) => p.identifier?.[0]?.value === identifier)
      )
        return send(res, 409, outcome('duplicate', `A Patient with identifier ${identifier} already exists`));
      const created = server.add(`p${patients.size + 1}`, new Date().toISOString(), body);
      return send(res, 201, created, { location: `${origin}/fhir/Patient/${created.id}/_history/1` });
    }
    send(res, 404, outcome('not-supported', `Unknown resource path ${path}`));
  }

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, outcome('exception', String(error))));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const server: FhirServer = {
    origin,
    base: `${origin}/fhir`,
    patients,
    requests,
    token: undefined,
    add(id, lastUpdated, fields = {}) {
      const patient: Patient = {
        ...fields,
        resourceType: 'Patient',
        id,
        meta: { versionId: '1', lastUpdated },
      };
      patients.set(id, patient);
      return patient;
    },
    failNext() {
      failing = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  return server;
}
