/**
 * The files `conflux init` writes: the smallest project that runs end to end without any
 * outside service. The echo system is served as a mock from its own OpenAPI document, so a
 * route proxies to it and a flow calls it as soon as the project starts.
 */
export function scaffoldFiles(name: string): Readonly<Record<string, string>> {
  return {
    'conflux.yaml': `# Conflux project settings. Every field is described in docs/project-files.md.
name: ${name}
environment: dev
gateway: { host: 0.0.0.0, port: 8080 }   # public APIs and webhooks
admin: { host: 127.0.0.1, port: 8081 }   # admin API, console, metrics
shutdown: { timeoutMs: 10000 }
`,
    'systems/echo.yaml': `# A system Conflux talks to. \`baseUrl: mock\` serves it in-process from its OpenAPI
# document; point it at the real URL (or use baseUrls per environment) when there is one.
name: echo
description: A stand-in system that greets people and stores messages
openapi: ../specs/echo.openapi.yaml
baseUrl: mock
auth: { type: none }
timeoutMs: 5000
retry: { attempts: 2, backoffMs: 200 }
`,
    'specs/echo.openapi.yaml': `openapi: 3.1.0
info:
  title: Echo
  version: 1.0.0
  description: A stand-in system. Conflux serves it as a mock from the examples below.
paths:
  /greetings/{name}:
    get:
      operationId: getGreeting
      summary: Greet someone by name
      parameters:
        - name: name
          in: path
          required: true
          schema: { type: string, minLength: 1 }
          example: ada
      responses:
        '200':
          description: The greeting
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Greeting' }
              example: { message: 'Hello, ada!' }
  /messages:
    post:
      operationId: createMessage
      summary: Store a message
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/NewMessage' }
            example: { text: HELLO, from: ada }
      responses:
        '201':
          description: The stored message
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Message' }
              example: { id: msg-1, text: HELLO, from: ada }
components:
  schemas:
    Greeting:
      type: object
      required: [message]
      properties:
        message: { type: string }
    NewMessage:
      type: object
      required: [text]
      properties:
        text: { type: string, minLength: 1 }
        from: { type: string }
    Message:
      type: object
      required: [id, text]
      properties:
        id: { type: string }
        text: { type: string }
        from: { type: string }
`,
    'apis/hello.yaml': `# An API the gateway serves at http://localhost:8080/v1/...
name: hello
description: Greetings and messages
basePath: /v1
visibility: private
auth: { type: none }   # { type: apiKey } requires keys issued through the admin API
routes:
  - { method: GET, path: '/greetings/{name}', system: echo, operation: getGreeting }
  - { method: POST, path: /messages, flow: send-message }
`,
    'flows/send-message.yaml': `# A flow: started by POST /v1/messages (see apis/hello.yaml) or POST /hooks/send-message.
# Expressions are JSONata over { trigger, steps }; trigger.body is the request body.
name: send-message
description: Tidies a message and stores it in the echo system
triggers:
  - { type: webhook, path: send-message, mode: sync }
retry: { attempts: 3, backoffMs: 500 }
steps:
  - { id: message, type: map, mapping: to-message }
  - { id: stored, type: call, system: echo, operation: createMessage, input: '{ "body": steps.message }' }
output: '{ "id": steps.stored.body.id, "text": steps.stored.body.text }'
`,
    'mappings/to-message.jsonata': `/* The request body as the echo system's NewMessage: text in capitals, a sender always set. */
{
  "text": $uppercase(trigger.body.text),
  "from": trigger.body.from ? trigger.body.from : "anonymous"
}
`,
    'README.md': `# ${name}

A Conflux project. Start it with \`conflux dev\`, then:

\`\`\`sh
curl http://localhost:8080/v1/greetings/ada
curl -X POST http://localhost:8080/v1/messages -H 'content-type: application/json' -d '{"text": "hello"}'
\`\`\`

\`conflux validate\` checks every file; docs/project-files.md describes them.
`,
  };
}
