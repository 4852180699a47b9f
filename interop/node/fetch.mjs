// Node's built-in fetch (undici) against a server: prints what it makes of the exchange.
// usage: node fetch.mjs URL METHOD [BODY_FILE|-] [--content-type T]
import fs from 'node:fs';

const [url, method = 'GET', bodyFile = '-', ...flags] = process.argv.slice(2);
const ctIndex = flags.indexOf('--content-type');
const headers = {};
if (ctIndex >= 0) headers['Content-Type'] = flags[ctIndex + 1];
const body = bodyFile === '-' ? undefined : fs.readFileSync(bodyFile);
try {
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(20000) });
  const text = await res.text();
  console.log(JSON.stringify({ status: res.status, body: text }));
} catch (e) {
  console.log(JSON.stringify({ error: String(e), cause: String(e.cause ?? '') }));
}
