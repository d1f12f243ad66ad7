// The upstream every scenario proxies to: a minimal node:http server answering a fixed JSON
// body, so what the benchmark measures is the proxy in front of it.
import { createServer } from 'node:http';

const body = JSON.stringify({
  id: 'SKU-1001',
  name: 'Espresso cups (set of 4)',
  price: { amount: 2400, currency: 'EUR' },
});
const port = Number(process.argv[2] ?? 9300);
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(port, '127.0.0.1', () => process.stdout.write(`upstream listening on ${port}\n`));
