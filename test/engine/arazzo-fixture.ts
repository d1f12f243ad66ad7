import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/openapi/oai', import.meta.url));

/**
 * A project whose systems are two corpus documents served as mocks — the OAI petstore (Swagger
 * 2.0, split over files) and the OAI link example (OpenAPI 3.0) — and an Arazzo document over them.
 */
export function createArazzoProject(arazzo: string = ARAZZO): {
  dir: string;
  arazzoFile: string;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'conflux-arazzo-'));
  mkdirSync(join(dir, 'specs'));
  mkdirSync(join(dir, 'systems'));
  cpSync(join(CORPUS, 'v2.0/petstore-separate'), join(dir, 'specs/petstore'), { recursive: true });
  cpSync(join(CORPUS, 'v3.0/link-example.yaml'), join(dir, 'specs/link-example.yaml'));
  writeFileSync(join(dir, 'conflux.yaml'), 'name: arazzo-demo\n');
  writeFileSync(
    join(dir, 'systems/petstore.yaml'),
    'name: petstore\nopenapi: ../specs/petstore/spec/swagger.yaml\nbaseUrl: mock\n',
  );
  writeFileSync(
    join(dir, 'systems/repos.yaml'),
    'name: repos\nopenapi: ../specs/link-example.yaml\nbaseUrl: mock\n',
  );
  const arazzoFile = join(dir, 'pets.arazzo.yaml');
  writeFileSync(arazzoFile, arazzo);
  return { dir, arazzoFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Two workflows: one calls both systems (body, replacements, operationPath, criteria, retry), one runs the other. */
export const ARAZZO = `arazzo: 1.0.1
info: { title: Register a pet, version: 1.0.0 }
sourceDescriptions:
  - { name: petstore, url: ./specs/petstore/spec/swagger.yaml, type: openapi }
  - { name: repos, url: ./specs/link-example.yaml, type: openapi }
workflows:
  - workflowId: register-pet
    summary: Add a pet, read it back, and look up its owner's pull requests
    inputs:
      type: object
      properties: { petId: { type: integer }, name: { type: string }, owner: { type: string } }
    steps:
      - stepId: add-pet
        operationId: $sourceDescriptions.petstore.addPet
        requestBody:
          contentType: application/json
          payload: { id: 0, name: placeholder, tag: 'owned by {$inputs.owner}' }
          replacements:
            - { target: /name, value: $inputs.name }
            - { target: /id, value: $inputs.petId }
        successCriteria:
          - condition: $statusCode == 200
        outputs:
          petId: $response.body#/id
          name: $response.body#/name
      - stepId: fetch-pet
        operationPath: '{$sourceDescriptions.petstore.url}#/paths/~1pets~1{id}/get'
        parameters:
          - { name: id, in: path, value: $steps.add-pet.outputs.petId }
        successCriteria:
          - condition: $statusCode == 200 && $response.body#/name == $steps.add-pet.outputs.name
        outputs:
          pet: $response.body
      - stepId: owner
        operationId: getUserByName
        parameters:
          - { name: username, in: path, value: $inputs.owner }
          - { name: X-Trace, in: header, value: abc }
        onFailure:
          - { name: again, type: retry, retryAfter: 0.1, retryLimit: 2 }
        outputs:
          username: $response.body#/username
      - stepId: prs
        operationId: getPullRequestsByRepository
        parameters:
          - { name: username, in: path, value: $steps.owner.outputs.username }
          - { name: slug, in: path, value: conflux }
          - { name: state, in: query, value: open }
        successCriteria:
          - { context: $response.body, condition: '^\\[', type: regex }
          - { context: $response.body, condition: '$[?count(@) > 0]', type: jsonpath }
        outputs:
          pullRequests: $response.body
          sentBy: $request.header.X-Trace
    outputs:
      petId: $steps.add-pet.outputs.petId
      pet: $steps.fetch-pet.outputs.pet
      owner: $steps.owner.outputs.username
      label: 'pet {$steps.add-pet.outputs.petId} of {$inputs.owner}'
  - workflowId: adoptPet
    summary: Registers a pet through the register-pet workflow
    steps:
      - stepId: register
        workflowId: register-pet
        parameters:
          - { name: name, value: $inputs.petName }
          - { name: petId, value: 7 }
          - { name: owner, value: ada }
        outputs:
          id: $outputs.petId
    outputs:
      adopted: $steps.register.outputs.id
`;
