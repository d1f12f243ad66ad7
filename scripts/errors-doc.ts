// Regenerates the table of docs/errors.md from the catalogue: `node --import tsx scripts/errors-doc.ts`.
import { writeFileSync } from 'node:fs';
import { errorCatalogue } from '../src/errors/index.ts';

const header = `# Error codes

Every error Conflux answers over HTTP is an RFC 9457 \`application/problem+json\` body with a stable
\`code\`, the HTTP \`status\`, a \`title\`, a \`detail\` naming what was wrong and what was expected,
and the request's \`correlationId\` (also in the \`x-request-id\` response header and in every log line
of that request). Branch on \`code\`, never on \`detail\`.

\`kind\` says who must act: **user** (the caller or the project author), **operational** (a transient
condition outside Conflux; retrying may help), **unexpected** (a bug: report it with the correlation id;
its detail is never shown to callers).

| code | status | kind | meaning |
| --- | --- | --- | --- |
`;
const rows = Object.entries(errorCatalogue).map(
  ([code, spec]) => `| \`${code}\` | ${spec.status} | ${spec.kind} | ${spec.title} |`,
);
writeFileSync(new URL('../docs/errors.md', import.meta.url), `${header}${rows.join('\n')}\n`);
