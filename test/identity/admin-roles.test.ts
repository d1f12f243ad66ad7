import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_ROLES } from '../../src/identity/index.ts';
import type { RunningPlatform } from '../../src/platform/index.ts';
import { admin, startProject, writeProject } from './identity-harness.ts';

interface Operation {
  readonly 'x-roles': string[];
  readonly operationId?: string;
}

describe('admin roles: every endpoint of the admin OpenAPI document, with every role', () => {
  let platform: RunningPlatform;
  let project: ReturnType<typeof writeProject>;
  const tokens: Record<string, string> = {};

  before(async () => {
    project = writeProject({});
    platform = await startProject(project.dir);
    for (const role of ADMIN_ROLES) {
      const created = await admin(platform, 'POST', '/api/v1/admin/users', { name: `${role}-user`, role });
      assert.equal(created.status, 201, created.text);
      tokens[role] = created.json.token;
    }
  });

  after(async () => {
    await platform?.stop();
    project?.remove();
  });

  test('allow/deny matches the declared x-roles of each operation', async () => {
    const document = (await fetch(`${platform.adminUrl}/api/v1/openapi.json`).then((r) => r.json())) as {
      paths: Record<string, Record<string, Operation>>;
    };
    let checked = 0;
    const mismatches: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      const concrete = path.replace(/\{[^}]+\}/g, 'does-not-exist');
      for (const [method, operation] of Object.entries(methods)) {
        assert.ok(Array.isArray(operation['x-roles']), `${method} ${path} declares x-roles`);
        // Revoking admin identities last would lock the walk out; ids here do not exist anyway.
        for (const role of ADMIN_ROLES) {
          const answer = await admin(
            platform,
            method.toUpperCase(),
            concrete,
            method === 'get' || method === 'delete' ? undefined : {},
            tokens[role],
          );
          const allowed = operation['x-roles'].includes(role);
          const denied = answer.status === 403 && answer.json?.code === 'ADMIN_FORBIDDEN';
          if (allowed === denied || answer.status === 401)
            mismatches.push(`${role} ${method.toUpperCase()} ${path}: ${answer.status}`);
          checked++;
        }
        const anonymous = await fetch(`${platform.adminUrl}${concrete}`, { method: method.toUpperCase() });
        assert.equal(anonymous.status, 401, `${method} ${path} without a token`);
      }
    }
    assert.deepEqual(mismatches, []);
    assert.ok(checked >= ADMIN_ROLES.length * 20, `walked ${checked} calls`);
  });

  test('the matrix holds the intended shape: owners manage admins, auditors read the audit trail, viewers do not', async () => {
    assert.equal((await admin(platform, 'GET', '/api/v1/admin/users', undefined, tokens.admin)).status, 403);
    assert.equal((await admin(platform, 'GET', '/api/v1/audit', undefined, tokens.auditor)).status, 200);
    assert.equal((await admin(platform, 'GET', '/api/v1/audit', undefined, tokens.viewer)).status, 403);
    assert.equal(
      (await admin(platform, 'POST', '/api/v1/consumers', { name: 'x', type: 'public' }, tokens.developer))
        .status,
      403,
    );
    assert.equal(
      (await admin(platform, 'GET', '/api/v1/admin/whoami', undefined, tokens.viewer)).json.role,
      'viewer',
    );
  });

  test('a revoked admin token stops working', async () => {
    const created = await admin(platform, 'POST', '/api/v1/admin/users', { name: 'temp', role: 'viewer' });
    assert.equal(
      (await admin(platform, 'GET', '/api/v1/admin/whoami', undefined, created.json.token)).status,
      200,
    );
    assert.equal(
      (await admin(platform, 'DELETE', `/api/v1/admin/users/${created.json.user.id}`)).status,
      204,
    );
    assert.equal(
      (await admin(platform, 'GET', '/api/v1/admin/whoami', undefined, created.json.token)).status,
      401,
    );
  });
});
