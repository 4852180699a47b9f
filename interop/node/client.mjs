// Node's http client against a server: prints one JSON object with every 'information' event
// (1xx: status, message, headers in order) and the final response with its body.
// usage: node client.mjs URL METHOD [BODY_FILE|-] [--expect-continue] [--content-type T]
import http from 'node:http';
import fs from 'node:fs';

const [url, method = 'GET', bodyFile = '-', ...flags] = process.argv.slice(2);
const expectContinue = flags.includes('--expect-continue');
const ctIndex = flags.indexOf('--content-type');
const body = bodyFile === '-' ? Buffer.alloc(0) : fs.readFileSync(bodyFile);
const headers = { 'Content-Length': String(body.length) };
if (ctIndex >= 0) headers['Content-Type'] = flags[ctIndex + 1];
if (expectContinue) headers['Expect'] = '100-continue';

const result = { information: [], continueEvents: 0 };
const req = http.request(url, { method, headers, agent: false });
req.on('information', (info) => {
  // rawHeaders keeps order and repeats (two Link fields stay two)
  const pairs = [];
  for (let i = 0; i < info.rawHeaders.length; i += 2) pairs.push([info.rawHeaders[i], info.rawHeaders[i + 1]]);
  result.information.push({ status: info.statusCode, message: info.statusMessage, headers: pairs });
});
req.on('continue', () => {
  result.continueEvents += 1;
  req.end(body);
});
req.on('response', (res) => {
  result.status = res.statusCode;
  result.message = res.statusMessage;
  result.headers = res.headers;
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    result.body = Buffer.concat(chunks).toString('utf8');
    console.log(JSON.stringify(result));
  });
});
req.on('error', (e) => {
  result.error = String(e);
  console.log(JSON.stringify(result));
  process.exitCode = 1;
});
req.setTimeout(20000, () => req.destroy(new Error('timeout')));
if (!expectContinue) req.end(body);
