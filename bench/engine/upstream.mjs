// The local upstream every system under test calls: POST /enrich answers a small JSON document.
// Usage: node upstream.mjs PORT
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 19402);
let served = 0;
createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    served++;
    const order = body === '' ? null : (JSON.parse(body).orderId ?? null);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `U-${served}`, order }));
  });
}).listen(port, '127.0.0.1');
