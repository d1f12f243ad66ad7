import type { RunningPlatform } from '../../src/platform/index.ts';
import { ADMIN_TOKEN, call, startProject, startUpstream, writeProject } from '../gateway/harness.ts';

export { ADMIN_TOKEN, call, startProject, startUpstream, writeProject };

/** JSON request to the admin API with a bearer token (the bootstrap owner token by default). */
// biome-ignore lint/suspicious/noExplicitAny: tests read answers field by field; a wrong read fails the test.
type Json = any;

export async function admin(
  platform: RunningPlatform,
  method: string,
  path: string,
  body?: unknown,
  token: string = ADMIN_TOKEN,
): Promise<{ status: number; json: Json; text: string; headers: Headers }> {
  const response = await fetch(`${platform.adminUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: Json;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}
