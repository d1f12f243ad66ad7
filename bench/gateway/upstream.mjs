// The upstream every scenario proxies to: a minimal node:http server answering a fixed JSON
// body, so what the benchmark measures is the proxy in front of it.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = JSON.stringify({
  id: 'SKU-1001',
  name: 'Espresso cups (set of 4)',
  price: { amount: 2400, currency: 'EUR' },
});
const port = Number(process.argv[2] ?? 9300);
// Scenario (e) needs the token issuer's public keys: served here as /jwks.json (fetched once by
// the gateway, then cached), from the file the benchmark wrote.
const jwks = process.argv[3] === undefined ? '{"keys":[]}' : readFileSync(process.argv[3], 'utf8');
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const answer = req.url === '/jwks.json' ? jwks : body;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
}).listen(port, '127.0.0.1', () => process.stdout.write(`upstream listening on ${port}\n`));
