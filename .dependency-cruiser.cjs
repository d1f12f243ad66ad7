// The dependency rule of Conflux (docs/architecture.md, DESIGN.md "Shape of the code"), checked by
// `npm run lint` and by test/architecture/dependencies.test.ts.
//
// Modules are the folders under src/ (src/platform may also be the single file src/platform.ts).
// They form layers; a module may import its own layer and the layers below it, never above:
//
//   cli → platform → gateway / engine / admin → identity / systems / mapping / adapters
//       → store / secrets / observability / project / errors
//
// Inside the bottom layer, errors imports no other module and project imports only errors, so that
// every module can report errors and read the project model without pulling in the rest.

/** Layers from the top (entry points) to the bottom (foundations). */
const layers = [
  ['cli'],
  ['platform'],
  ['gateway', 'engine', 'admin'],
  ['identity', 'systems', 'mapping', 'adapters'],
  ['store', 'secrets', 'observability', 'project', 'errors'],
];

/** A path regex matching the files of the given modules: `src/<name>/…` or `src/<name>.ts`. */
function modules(names) {
  return `^src/(${names.join('|')})(/|\\.ts$)`;
}

/** Every module in the layers below layer `index`. */
function below(index) {
  return modules(layers.slice(index + 1).flat());
}

const everyModule = modules(layers.flat());

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle of value imports makes load order matter and leaves half-initialised bindings. Break ' +
        'it by moving the shared part down a layer or by passing it in as an option.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-between-modules',
      severity: 'error',
      comment:
        'Modules form a directed graph, even through `import type`. Inside one module, types that ' +
        'refer to each other across files (a context naming its route, the route naming its handler ' +
        'taking the context) are fine: they vanish at run time and the module is one unit anyway.',
      from: { path: '^src/([^/]+)' },
      to: { circular: true, via: { pathNot: '^src/$1(/|$)' } },
    },
    {
      name: 'only-through-index',
      severity: 'error',
      comment:
        "Another module is reached only through its public face, src/<module>/index.ts. Export what you need from there (or ask the module's owner to).",
      from: { path: '^src/([^/]+)' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'cli-is-imported-by-nobody',
      severity: 'error',
      comment: 'The command line is the entry point: it calls the platform, nothing calls it.',
      from: { path: below(0) },
      to: { path: modules(layers[0]) },
    },
    {
      name: 'platform-is-imported-only-by-cli',
      severity: 'error',
      comment:
        'The composition root builds the services; they get what they need as options and never reach back into it.',
      from: { path: below(1) },
      to: { path: modules(layers[1]) },
    },
    {
      name: 'services-are-not-imported-below',
      severity: 'error',
      comment:
        'gateway / engine / admin sit on identity / systems / mapping / adapters and the foundations, never the reverse. ' +
        'A lower module that must call up takes a port (an interface) as an option instead.',
      from: { path: below(2) },
      to: { path: modules(layers[2]) },
    },
    {
      name: 'domain-is-not-imported-by-foundations',
      severity: 'error',
      comment:
        'store / secrets / observability / project / errors are the foundations: they import none of ' +
        'identity / systems / mapping / adapters.',
      from: { path: below(3) },
      to: { path: modules(layers[3]) },
    },
    {
      name: 'errors-imports-no-module',
      severity: 'error',
      comment: 'Every module imports errors, so errors imports no other module (a cycle waiting to happen).',
      from: { path: modules(['errors']) },
      to: { path: '^src/', pathNot: modules(['errors']) },
    },
    {
      name: 'project-imports-only-errors',
      severity: 'error',
      comment:
        'The project model is the shared vocabulary of every module; it depends on nothing but errors.',
      from: { path: modules(['project']) },
      to: { path: '^src/', pathNot: modules(['project', 'errors']) },
    },
    {
      name: 'module-outside-the-layering',
      severity: 'error',
      comment:
        'A file under src/ that belongs to no known module escapes every rule above. Add the new module to `layers` in .dependency-cruiser.cjs (and to DESIGN.md) first.',
      from: { path: '^src/', pathNot: everyModule },
      to: {},
    },
    {
      name: 'import-outside-the-layering',
      severity: 'error',
      comment: 'The imported file belongs to no known module: add its module to `layers` first.',
      from: {},
      to: { path: '^src/', pathNot: everyModule },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'The import names a file or package that does not exist (a typo, or a missing `.ts`).',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-undeclared-package',
      severity: 'error',
      comment:
        'The package is not in package.json: it works here only by accident of hoisting. `npm i -E` it.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-dev-dependency',
      severity: 'error',
      comment:
        'Shipped code cannot import a devDependency: `npm ci --omit=dev` would not install it. Type-only imports and tests are fine.',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type from a higher layer couples the layers as much as a value.
    tsPreCompilationDeps: true,
    parser: 'tsc',
    skipAnalysisNotInRules: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
