import { loadProject, formatProblems } from './src/project/index.ts';
import { projectWith } from './test/project/helpers.ts';
const cases: Record<string, Record<string, string | null>> = {
  typoKey: { 'flows/place-order.yaml': `name: place-order
steps:
  - id: stock
    type: call
    sytem: inventory
    operation: getStock
` },
  sys: { 'systems/shop.yaml': `name: Shop
openapi: ../specs/shop.openapi.yaml
baseUrl: htp://x
baseUrls: { Dev: mock, prod: 'ftp://x' }
auth: apiKey
retry: { attempts: 0, backof: 1 }
`, 'systems/inventory.yaml': `name: inventory
openapi: ../specs/inventory.openapi.yaml
auth: { type: token, secret: x }
`, 'flows/place-order.yaml': `name: place-order
steps:
  - { id: my-step, type: map }
  - { type: call }
  - 7
triggers:
  - { type: webhook, mode: later, path: /abs }
  - { type: schedule }
`, 'empty-dir/x': 'x', 'apis/orders.yaml': 'name: orders\nroutes: []\nauth: { type: apiKey, header: "x key" }\nbasePath: v1\n' },
};
for (const [name, files] of Object.entries(cases)) {
  const { problems } = await loadProject(projectWith(files));
  console.log(`=== ${name}`);
  console.log(formatProblems(problems, { color: false }));
}
