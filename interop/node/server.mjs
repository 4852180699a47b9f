// A Node http server that sends interim responses with Node's own API: writeContinue() for
// Expect: 100-continue, writeEarlyHints() (103 with Link), writeProcessing() (102), then the
// final response. Prints "listening on http://127.0.0.1:PORT" once ready.
// usage: node server.mjs [HEARTBEATS] [INTERVAL_MS]
import http from 'node:http';

const beats = Number(process.argv[2] ?? 3);
const interval = Number(process.argv[3] ?? 100);

async function respond(req, res, bodyBytes) {
  res.writeEarlyHints({ link: ['</static/viewer.js>; rel=preload; as=script', '</static/app.css>; rel=preload; as=style'] });
  for (let i = 0; i < beats; i++) {
    await new Promise((r) => setTimeout(r, interval));
    res.writeProcessing();
  }
  const upload = req.url.startsWith('/files/');
  const body = JSON.stringify(upload
    ? { status: 'created', bytes: bodyBytes, server: 'node' }
    : { status: 'success', url: '/images/panorama-123.jpg', server: 'node' });
  res.writeHead(upload ? 201 : 200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...(upload ? { Location: req.url } : {}),
  });
  res.end(body);
}

function handle(req, res) {
  let n = 0;
  req.on('data', (c) => { n += c.length; });
  req.on('end', () => { respond(req, res, n); });
}

const server = http.createServer(handle);
// Expect: 100-continue lands here instead of 'request': answer 100 ourselves
server.on('checkContinue', (req, res) => {
  res.writeContinue();
  handle(req, res);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
