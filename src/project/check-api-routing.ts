import { isIP } from 'node:net';
import type { ApiDefinition, ProjectProblem, RouteDefinition } from './model.ts';
import { didYouMean } from './suggest.ts';
import type { PathSegment, YamlFile } from './yaml-file.ts';

interface Loaded<T> {
  readonly value: T;
  readonly yaml: YamlFile;
}

/**
 * The keys under which a route claims the router: one per (host set, version, method, path
 * shape). Two routes with a common key collide; parameter names do not tell them apart.
 */
export function routeClaims(api: ApiDefinition, route: RouteDefinition): string[] {
  const hosts = api.hosts === undefined ? '*' : [...api.hosts].sort().join(',');
  const shape = (path: string) =>
    path.replace(/\{[^}:]*(:([^}]*))?\}/g, (_, _t, type: string | undefined) => `{${type ?? 'string'}}`);
  const versioning = api.versioning;
  const versions =
    versioning === undefined ? [''] : (route.versions ?? versioning.versions.map((v) => v.name));
  return versions.map((version) => {
    const path =
      versioning?.scheme === 'uri'
        ? `${api.basePath}/${version}${route.path}`
        : `${api.basePath}${route.path}`;
    const tag = versioning !== undefined && versioning.scheme !== 'uri' ? ` @${version}` : '';
    return `${hosts} ${route.method} ${shape(path).replace(/\/$/, '')}${tag}`;
  });
}

/** Versions, partners, networks, composite calls and mock targets of every API. */
export function checkApiRouting(
  apis: Iterable<Loaded<ApiDefinition>>,
  systems: ReadonlyMap<string, unknown>,
  brokenSystems: ReadonlySet<string>,
): ProjectProblem[] {
  const problems: ProjectProblem[] = [];
  for (const { value: api, yaml } of apis) {
    const versions = new Set(api.versioning?.versions.map((version) => version.name) ?? []);
    if (api.versioning !== undefined) {
      if (versions.size === 0) {
        problems.push(
          problem(
            yaml,
            ['versioning'],
            'versioning needs at least one entry in `versions`',
            'none',
            'versions: { v1: {} }',
          ),
        );
      } else if (!versions.has(api.versioning.default)) {
        problems.push(
          problem(
            yaml,
            ['versioning', 'default'],
            `versioning.default: no version named "${api.versioning.default}"`,
            api.versioning.default,
            `one of ${[...versions].join(', ')}`,
          ),
        );
      }
    }
    (api.networks ?? []).forEach((cidr, index) => {
      if (!validCidr(cidr))
        problems.push(
          problem(
            yaml,
            ['networks', index],
            `networks[${index}]: not a CIDR range`,
            cidr,
            'an address and prefix length like 10.0.0.0/8',
          ),
        );
    });
    if (api.partners !== undefined && api.visibility !== 'partner') {
      problems.push(
        problem(
          yaml,
          ['partners'],
          '`partners` applies to partner APIs only',
          `visibility: ${api.visibility}`,
          'visibility: partner',
        ),
      );
    }
    if (api.registration !== undefined && (api.visibility !== 'public' || api.auth.type !== 'apiKey')) {
      problems.push(
        problem(
          yaml,
          ['registration'],
          '`registration` hands out API keys, so it applies to public APIs with apiKey auth only',
          `visibility: ${api.visibility}, auth: ${api.auth.type}`,
          'visibility: public and auth: { type: apiKey }',
        ),
      );
    }
    api.routes.forEach((route, index) => {
      const at: PathSegment[] = ['routes', index];
      (route.versions ?? []).forEach((version, v) => {
        if (!versions.has(version)) {
          problems.push(
            problem(
              yaml,
              [...at, 'versions', v],
              `routes[${index}].versions[${v}]: no version named "${version}"${didYouMean(version, [...versions])}`,
              version,
              versions.size === 0 ? 'a `versions` block in the API' : `one of ${[...versions].join(', ')}`,
            ),
          );
        }
      });
      problems.push(...checkTarget(route, yaml, at, index, systems, brokenSystems));
    });
  }
  return problems;
}

function checkTarget(
  route: RouteDefinition,
  yaml: YamlFile,
  at: PathSegment[],
  index: number,
  systems: ReadonlyMap<string, unknown>,
  brokenSystems: ReadonlySet<string>,
): ProjectProblem[] {
  const problems: ProjectProblem[] = [];
  const target = route.target;
  const knownSystem = (name: string, path: PathSegment[]) => {
    if (systems.has(name) || brokenSystems.has(name)) return;
    const names = [...systems.keys()].sort();
    problems.push(
      problem(
        yaml,
        path,
        `${path.join('.')}: no system named "${name}"${didYouMean(name, names)}`,
        name,
        `one of ${names.join(', ') || '(no systems defined)'}`,
      ),
    );
  };
  if (target.kind === 'mock') knownSystem(target.system, [...at, 'mock', 'system']);
  if (target.kind !== 'composite') return problems;
  const ids = new Map<string, number>();
  target.calls.forEach((call, c) => {
    const callAt = [...at, 'composite', 'calls', c];
    if (ids.has(call.id))
      problems.push(
        problem(
          yaml,
          [...callAt, 'id'],
          `routes[${index}].composite.calls[${c}].id: "${call.id}" is used twice`,
          call.id,
          'an id unique in the composite',
        ),
      );
    ids.set(call.id, c);
    knownSystem(call.system, [...callAt, 'system']);
  });
  target.calls.forEach((call, c) => {
    call.needs.forEach((need, n) => {
      if (!ids.has(need)) {
        problems.push(
          problem(
            yaml,
            [...at, 'composite', 'calls', c, 'needs', n],
            `routes[${index}].composite.calls[${c}].needs: no call "${need}"`,
            need,
            `one of ${[...ids.keys()].join(', ')}`,
          ),
        );
      }
    });
  });
  const cycle = findCycle(target.calls);
  if (cycle !== undefined) {
    problems.push(
      problem(
        yaml,
        [...at, 'composite', 'calls'],
        `routes[${index}].composite: calls wait for each other in a cycle (${cycle.join(' → ')})`,
        cycle.join(' → '),
        'needs that form no cycle',
      ),
    );
  }
  return problems;
}

function findCycle(calls: readonly { id: string; needs: readonly string[] }[]): string[] | undefined {
  const needs = new Map(calls.map((call) => [call.id, call.needs]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...trail.slice(trail.indexOf(id)), id];
    state.set(id, 'visiting');
    for (const next of needs.get(id) ?? []) {
      const found = visit(next, [...trail, id]);
      if (found !== undefined) return found;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const call of calls) {
    const found = visit(call.id, []);
    if (found !== undefined) return found;
  }
  return undefined;
}

function validCidr(cidr: string): boolean {
  const [address = '', bits = ''] = cidr.split('/');
  const family = isIP(address);
  const prefix = Number(bits);
  return family !== 0 && Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128);
}

function problem(
  yaml: YamlFile,
  path: PathSegment[],
  message: string,
  found: string,
  expected: string,
): ProjectProblem {
  return { ...yaml.valueAt(path), rule: 'reference', message, found, expected };
}
