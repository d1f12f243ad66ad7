import type { ProjectSummary } from '../admin/index.ts';
import type { Project } from '../project/index.ts';
import type { SystemsRuntime } from './systems-runtime.ts';

export function summarizeProject(project: Project, runtime: SystemsRuntime): ProjectSummary {
  return {
    name: project.settings.name,
    environment: project.settings.environment,
    systems: [...project.systems.values()].map((system) => ({
      name: system.name,
      baseUrl:
        system.baseUrl === 'mock'
          ? `mock (${runtime.baseUrls.get(system.name) ?? 'not started'})`
          : system.baseUrl,
      operations: runtime.descriptions.get(system.name)?.operations.size ?? 0,
    })),
    apis: [...project.apis.values()].map((api) => ({
      name: api.name,
      basePath: api.basePath,
      visibility: api.visibility,
      routes: api.routes.map((route) => ({
        method: route.method,
        path: route.path,
        target:
          route.target.kind === 'flow'
            ? `flow:${route.target.flow}`
            : route.target.kind === 'operation'
              ? `${route.target.system}.${route.target.operation}`
              : route.target.kind === 'url'
                ? route.target.url
                : route.target.kind === 'mock'
                  ? `mock:${route.target.system}.${route.target.operation}`
                  : `composite:${route.target.calls.map((call) => call.id).join(',')}`,
      })),
    })),
    flows: [...project.flows.values()].map((flow) => ({
      name: flow.name,
      version: flow.version,
      triggers: flow.triggers.map((trigger) =>
        trigger.type === 'webhook'
          ? `webhook:/hooks/${trigger.path}`
          : trigger.type === 'schedule'
            ? `schedule:${trigger.cron}`
            : trigger.type === 'event'
              ? `event:${trigger.event}`
              : trigger.type === 'file'
                ? `file:${trigger.dir}/${trigger.pattern}`
                : `${trigger.type}:${trigger.system}.${trigger.operation}`,
      ),
      steps: flow.steps.map((step) => `${step.id} (${step.type})`),
    })),
  };
}
