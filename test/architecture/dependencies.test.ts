import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';

const root = fileURLToPath(new URL('../../', import.meta.url));
const configFile = join(root, '.dependency-cruiser.cjs');

/** Cruises `src` under `baseDir` with the project's rules; returns `rule: from → to` per violation. */
async function violationsUnder(baseDir: string, options: ICruiseOptions): Promise<string[]> {
  const { output } = await cruise(['src'], { ...options, baseDir });
  assert.ok(typeof output === 'object', 'dependency-cruiser returned a report, not a cruise result');
  const result: ICruiseResult = output;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('the dependency rule (.dependency-cruiser.cjs)', () => {
  let options: ICruiseOptions;
  let fixture: string;

  before(async () => {
    options = await extractDepcruiseOptions(configFile);
    fixture = mkdtempSync(join(tmpdir(), 'conflux-depcruise-'));
    for (const [path, text] of Object.entries(violatingTree)) {
      mkdirSync(dirname(join(fixture, path)), { recursive: true });
      writeFileSync(join(fixture, path), text);
    }
  });

  after(() => {
    rmSync(fixture, { recursive: true, force: true });
  });

  test('src/ breaks none of the rules', async () => {
    const violations = await violationsUnder(root, options);
    assert.deepEqual(violations, [], `dependency rule broken:\n${violations.join('\n')}`);
  });

  test('each rule catches the import it forbids, and allows what it should', async () => {
    assert.deepEqual(await violationsUnder(fixture, options), expectedInFixture);
  });
});

/**
 * A small project with one deliberate violation per rule, and a few allowed imports (a module
 * importing its own files, another module's index.ts, a lower layer, a type-only cycle inside one
 * module) that must not be reported.
 */
const violatingTree: Record<string, string> = {
  'package.json': JSON.stringify({
    name: 'fixture',
    type: 'module',
    dependencies: {},
    devDependencies: { 'dev-only': '1.0.0' },
  }),
  'node_modules/dev-only/package.json': JSON.stringify({
    name: 'dev-only',
    version: '1.0.0',
    main: 'index.js',
  }),
  'node_modules/dev-only/index.js': 'export const devOnly = 1;\n',
  'node_modules/undeclared/package.json': JSON.stringify({
    name: 'undeclared',
    version: '1.0.0',
    main: 'index.js',
  }),
  'node_modules/undeclared/index.js': 'export const undeclared = 1;\n',

  'src/errors/index.ts': "import { s } from '../store/index.ts';\nexport const e = s;\n",
  'src/store/index.ts': "import { d } from './deep.ts';\nexport const s = d;\n",
  'src/store/deep.ts': 'export const d = 2;\n',
  'src/store/uses-dev-only.ts': "import { devOnly } from 'dev-only';\nexport const x = devOnly;\n",
  'src/store/uses-undeclared.ts': "import { undeclared } from 'undeclared';\nexport const y = undeclared;\n",
  'src/project/index.ts': "import type { O } from '../observability/index.ts';\nexport type P = O;\n",
  'src/observability/index.ts': "import { e } from '../errors/index.ts';\nexport type O = typeof e;\n",
  'src/observability/uses-domain.ts': "import { m } from '../mapping/index.ts';\nexport const u = m;\n",
  'src/secrets/index.ts': "import { d } from '../store/deep.ts';\nexport const k = d;\n",
  'src/mapping/index.ts': "import { g } from '../gateway/index.ts';\nexport const m = g;\n",
  'src/identity/index.ts': "import type { Y } from '../systems/index.ts';\nexport type I = Y;\n",
  'src/systems/index.ts': "import type { I } from '../identity/index.ts';\nexport type Y = I | number;\n",
  'src/adapters/index.ts': "import { z } from './missing.ts';\nexport const a = z;\n",
  'src/adapters/uses-helpers.ts': "import { h } from '../helpers/index.ts';\nexport const w = h;\n",
  'src/helpers/index.ts': "import { s } from '../store/index.ts';\nexport const h = s;\n",
  'src/gateway/index.ts': "import { s } from '../store/index.ts';\nexport const g = s;\n",
  'src/engine/index.ts': "import { p } from '../platform/index.ts';\nexport const n = p;\n",
  'src/admin/a.ts': "import { b } from './b.ts';\nexport const a = () => b();\n",
  'src/admin/b.ts': "import { a } from './a.ts';\nexport const b = () => a();\n",
  'src/admin/route.ts':
    "import type { Context } from './context.ts';\nexport type Route = (c: Context) => void;\n",
  'src/admin/context.ts':
    "import type { Route } from './route.ts';\nexport type Context = { route: Route };\n",
  'src/platform/index.ts': "import { c } from '../cli/index.ts';\nexport const p = c;\n",
  'src/cli/index.ts': "import { g } from '../gateway/index.ts';\nexport const c = g;\n",
};

const expectedInFixture = [
  'cli-is-imported-by-nobody: src/platform/index.ts → src/cli/index.ts',
  'domain-is-not-imported-by-foundations: src/observability/uses-domain.ts → src/mapping/index.ts',
  'errors-imports-no-module: src/errors/index.ts → src/store/index.ts',
  'import-outside-the-layering: src/adapters/uses-helpers.ts → src/helpers/index.ts',
  'module-outside-the-layering: src/helpers/index.ts → src/store/index.ts',
  'no-circular-between-modules: src/identity/index.ts → src/systems/index.ts',
  'no-circular: src/admin/a.ts → src/admin/b.ts',
  'no-undeclared-package: src/store/uses-undeclared.ts → node_modules/undeclared/index.js',
  'not-to-dev-dependency: src/store/uses-dev-only.ts → node_modules/dev-only/index.js',
  'not-to-unresolvable: src/adapters/index.ts → ./missing.ts',
  'only-through-index: src/secrets/index.ts → src/store/deep.ts',
  'platform-is-imported-only-by-cli: src/engine/index.ts → src/platform/index.ts',
  'project-imports-only-errors: src/project/index.ts → src/observability/index.ts',
  'services-are-not-imported-below: src/mapping/index.ts → src/gateway/index.ts',
];
