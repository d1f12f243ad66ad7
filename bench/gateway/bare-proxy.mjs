// The floor for any Node.js proxy: node:http in, an undici keep-alive pool out, bodies piped,
// nothing else (no routing, policies, logs or metrics). Conflux's rows are read against it to
// separate what Node's HTTP stack costs from what Conflux adds.
// Usage: node bare-proxy.mjs PORT UPSTREAM_ORIGIN
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [portText, origin] = process.argv.slice(2);
const pool = new Pool(origin, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 });
createServer((req, res) => {
  pool
    .request({ method: req.method, path: req.url, headers: { 'x-forwarded-for': req.socket.remoteAddress } })
    .then((upstream) => {
      res.writeHead(upstream.statusCode, {
        'content-type': upstream.headers['content-type'] ?? 'application/octet-stream',
      });
      upstream.body.pipe(res);
    })
    .catch(() => {
      res.statusCode = 502;
      res.end();
    });
}).listen(Number(portText), '127.0.0.1');
