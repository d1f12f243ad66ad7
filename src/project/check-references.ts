import { Cron } from 'croner';
import { checkApiRouting, routeClaims } from './check-api-routing.ts';
import type {
  ApiDefinition,
  FlowDefinition,
  MappingDefinition,
  ProjectProblem,
  SystemDefinition,
} from './model.ts';
import { renderPath } from './schema-problems.ts';
import { didYouMean } from './suggest.ts';
import type { PathSegment, YamlFile } from './yaml-file.ts';

export interface Loaded<T> {
  readonly value: T;
  readonly yaml: YamlFile;
}

export interface ReferenceContext {
  readonly systems: ReadonlyMap<string, Loaded<SystemDefinition>>;
  readonly apis: ReadonlyMap<string, Loaded<ApiDefinition>>;
  readonly flows: ReadonlyMap<string, Loaded<FlowDefinition>>;
  readonly mappings: ReadonlyMap<string, MappingDefinition>;
  /**
   * Names defined by files that failed to load. A reference to one of them is not reported:
   * the file's own problem already says what is wrong, and a second problem would mislead.
   */
  readonly broken: { readonly systems: ReadonlySet<string>; readonly flows: ReadonlySet<string> };
}

/** Checks what spans files: names that must exist, paths and routes that must be unique. */
export function checkReferences(context: ReferenceContext): ProjectProblem[] {
  return [
    ...checkRoutes(context),
    ...checkFlows(context),
    ...checkApiRouting(context.apis.values(), context.systems, context.broken.systems),
  ];
}

function checkRoutes(context: ReferenceContext): ProjectProblem[] {
  const problems: ProjectProblem[] = [];
  const claimed = new Map<string, string>();
  for (const { value: api, yaml } of context.apis.values()) {
    api.routes.forEach((route, index) => {
      const at = ['routes', index];
      const { target } = route;
      if (
        target.kind === 'flow' &&
        !context.flows.has(target.flow) &&
        !context.broken.flows.has(target.flow)
      ) {
        problems.push(unknown('flow', target.flow, context.flows.keys(), yaml, [...at, 'flow']));
      }
      if (
        target.kind === 'operation' &&
        !context.systems.has(target.system) &&
        !context.broken.systems.has(target.system)
      ) {
        problems.push(unknown('system', target.system, context.systems.keys(), yaml, [...at, 'system']));
      }
      // Two routes on the same method and path differ only in parameter names: the router
      // could pick either, so the second is an error.
      // Hosts and versions are part of the key (check-api-routing.ts).
      const here = yaml.valueAt(at);
      const keys = routeClaims(api, route);
      const first = keys.map((key) => claimed.get(key)).find((claim) => claim !== undefined);
      for (const key of keys)
        if (!claimed.has(key)) claimed.set(key, `${here.file}:${here.line}:${here.column}`);
      if (first !== undefined) {
        problems.push({
          ...here,
          rule: 'duplicate',
          message: `routes[${index}]: ${route.method} ${api.basePath}${route.path} is already routed at ${first}`,
          found: `${route.method} ${api.basePath}${route.path}`,
          expected: 'a method and path no other route uses',
        });
      }
    });
  }
  return problems;
}

function checkFlows(context: ReferenceContext): ProjectProblem[] {
  const problems: ProjectProblem[] = [];
  const hooks = new Map<string, string>();
  for (const { value: flow, yaml } of context.flows.values()) {
    const stepIds = new Map<string, number>();
    flow.steps.forEach((step, index) => {
      const at = ['steps', index];
      const firstIndex = stepIds.get(step.id);
      if (firstIndex === undefined) stepIds.set(step.id, index);
      else {
        problems.push({
          ...yaml.valueAt([...at, 'id']),
          rule: 'duplicate',
          message: `steps[${index}].id: "${step.id}" is already the id of steps[${firstIndex}]`,
          found: `"${step.id}"`,
          expected: 'an id unique in the flow',
        });
      }
      if (
        step.type === 'call' &&
        !context.systems.has(step.system) &&
        !context.broken.systems.has(step.system)
      ) {
        problems.push(unknown('system', step.system, context.systems.keys(), yaml, [...at, 'system']));
      }
      if (step.type === 'map' && step.mapping !== undefined && !context.mappings.has(step.mapping)) {
        const problem = unknown('mapping', step.mapping, context.mappings.keys(), yaml, [...at, 'mapping']);
        problems.push({
          ...problem,
          expected: `a file mappings/${step.mapping}.jsonata, or ${problem.expected}`,
        });
      }
    });
    flow.triggers.forEach((trigger, index) => {
      const at = ['triggers', index];
      if (trigger.type === 'webhook') {
        const first = hooks.get(trigger.path);
        const here = yaml.valueAt(at);
        if (first === undefined) hooks.set(trigger.path, `${here.file}:${here.line}:${here.column}`);
        else {
          problems.push({
            ...yaml.valueAt([...at, 'path']),
            rule: 'duplicate',
            message: `triggers[${index}]: webhook path /hooks/${trigger.path} is already taken at ${first}`,
            found: trigger.path,
            expected: 'a webhook path no other trigger uses',
          });
        }
        return;
      }
      if (trigger.type === 'schedule')
        problems.push(...checkSchedule(trigger.cron, trigger.timezone, yaml, at, index));
    });
  }
  return problems;
}

function checkSchedule(
  cron: string,
  timezone: string,
  yaml: YamlFile,
  at: PathSegment[],
  index: number,
): ProjectProblem[] {
  const problems: ProjectProblem[] = [];
  try {
    Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    problems.push({
      ...yaml.valueAt([...at, 'timezone']),
      rule: 'schedule',
      message: `triggers[${index}].timezone: unknown time zone`,
      found: `"${timezone}"`,
      expected: 'an IANA time zone, e.g. UTC or Europe/Paris',
    });
  }
  try {
    new Cron(cron, { paused: true }).stop();
  } catch (error) {
    problems.push({
      ...yaml.valueAt([...at, 'cron']),
      rule: 'schedule',
      message: `triggers[${index}].cron: ${(error as Error).message.replace(/^CronPattern: /, '')}`,
      found: `"${cron}"`,
      expected: 'a cron pattern of 5 fields, or 6 with seconds first',
    });
  }
  return problems;
}

function unknown(
  kind: string,
  name: string,
  known: Iterable<string>,
  yaml: YamlFile,
  path: PathSegment[],
): ProjectProblem {
  const names = [...known].sort();
  return {
    ...yaml.valueAt(path),
    rule: 'reference',
    message: `${renderPath(path)}: no ${kind} named "${name}"${didYouMean(name, names)}`,
    found: `"${name}"`,
    expected:
      names.length === 0 ? `a ${kind} defined in the project (there are none)` : `one of ${names.join(', ')}`,
  };
}
