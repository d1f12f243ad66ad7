export { type Core, openCore, stateDirectory } from './core.ts';
export { type PlatformOptions, type RunningPlatform, startPlatform, validateProject } from './platform.ts';
export { readSettings, type Settings } from './settings.ts';
export { createSystemsRuntimeManager } from './systems-runtime.ts';
