// Benchmark (not a test): h1x against Node's own parser (_http_common's HTTPParser, llhttp in
// C++), undici's llhttp WASM build and, if it loads, undici's Milo WASM build, in one run, on
//   1. a 391-byte GET with 8 headers, and
//   2. a 100, 102, 103, 103, 200 response sequence (the 200 with a 16-byte body).
// Every parser must deliver the same thing to JS: method, target, headers as [name, value]
// strings (names lower-cased), status and reason per response, the body bytes. The outputs are
// compared before timing. llhttp and Milo get Node's fastest string path (Buffer's latin1Slice);
// h1x may not use Buffer (it runs in browsers), so it builds its strings with TextDecoder.
// Prints CPU ns per operation (median of interleaved rounds) and ratios. Run: make bench-wasm
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import * as h1x from "../dist/esm/h1x.mjs";

const require = createRequire(import.meta.url);
const latin1Slice = Buffer.prototype.latin1Slice;
const str = (u8, a, b) => latin1Slice.call(u8, a, b);
const enc = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));

// ---- inputs --------------------------------------------------------------------------------
function request391() {
  const head = (cookie) =>
    "GET /api/v1/panoramas/42/tiles?level=3&format=webp HTTP/1.1\r\n" +
    "Host: render.example.com\r\n" +
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n" +
    "Accept: image/webp,*/*;q=0.8\r\n" +
    "Accept-Language: en-US,en;q=0.5\r\n" +
    "Accept-Encoding: gzip, deflate, br\r\n" +
    "Connection: keep-alive\r\n" +
    `Cookie: session=${cookie}\r\n` +
    "Cache-Control: max-age=0\r\n\r\n";
  const pad = 391 - head("").length;
  const s = head("a8f5f167f44f4964e6c998dee827110c".repeat(4).slice(0, pad));
  if (s.length !== 391) throw new Error(`request is ${s.length} bytes`);
  return enc(s);
}
const REQUEST = request391();
const SEQUENCE = enc(
  "HTTP/1.1 100 Continue\r\n\r\n" +
    "HTTP/1.1 102 Processing\r\n\r\n" +
    "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n" +
    "HTTP/1.1 103 Early Hints\r\nLink: </app.js>; rel=preload; as=script\r\n\r\n" +
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n" +
    '{"tiles":"done"}',
);

// ---- h1x -----------------------------------------------------------------------------------
function h1xRequest() {
  const conn = new h1x.Connection({ role: "server" });
  const response = { type: "response", statusCode: 200, headers: [["Content-Length", "0"]] };
  const end = { type: "endOfMessage" };
  return {
    // a full keep-alive cycle: bytes in, request event, end of message, response out
    cycle(buf) {
      conn.receiveData(buf);
      const req = conn.nextEvent();
      conn.nextEvent(); // endOfMessage
      conn.send(response);
      conn.send(end);
      conn.startNextCycle();
      return req;
    },
    decode(buf) {
      conn.receiveData(buf);
      const req = conn.nextEvent();
      conn.nextEvent();
      return req;
    },
    conn,
  };
}

function h1xRequestOut(req) {
  return { method: req.method, url: req.target, headers: req.headers };
}

function h1xSequence() {
  const conn = new h1x.Connection({ role: "client" });
  const request = { type: "request", method: "GET", target: "/render", headers: [["Host", "example.com"]] };
  const end = { type: "endOfMessage" };
  return (buf) => {
    conn.send(request);
    conn.send(end);
    conn.receiveData(buf);
    const out = [];
    for (;;) {
      const ev = conn.nextEvent();
      if (ev.type === "data") out.push(ev.data);
      else if (ev.type === "endOfMessage") break;
      else out.push({ status: ev.statusCode, reason: ev.reason, headers: ev.headers });
    }
    conn.startNextCycle();
    return out;
  };
}

// ---- Node's HTTPParser -------------------------------------------------------------------
function pairs(flat) {
  const out = new Array(flat.length >> 1);
  for (let i = 0; i < flat.length; i += 2) out[i >> 1] = [flat[i].toLowerCase(), flat[i + 1]];
  return out;
}

function nodeParser(kind) {
  const { HTTPParser, methods } = require("_http_common");
  const parser = new HTTPParser();
  parser.initialize(kind === "request" ? HTTPParser.REQUEST : HTTPParser.RESPONSE, {});
  let out;
  parser[HTTPParser.kOnHeadersComplete] = (maj, min, headers, method, url, status, reason) => {
    if (kind === "request") out = { method: methods[method], url, headers: pairs(headers) };
    else out.push({ status, reason, headers: pairs(headers) });
  };
  parser[HTTPParser.kOnBody] = (b) => out.push(new Uint8Array(b));
  parser[HTTPParser.kOnMessageComplete] = () => {};
  return (buf) => {
    out = kind === "request" ? null : [];
    parser.execute(buf);
    return out;
  };
}

// ---- undici's llhttp (WASM) --------------------------------------------------------------
function llhttp(kind) {
  const constants = require("undici/lib/llhttp/constants.js");
  let mod;
  try {
    mod = new WebAssembly.Module(require("undici/lib/llhttp/llhttp_simd-wasm.js"));
  } catch {
    mod = new WebAssembly.Module(require("undici/lib/llhttp/llhttp-wasm.js"));
  }
  const methodNames = [];
  for (const [name, n] of Object.entries(constants.METHODS)) methodNames[n] = name;
  let mem, base, out, fields, field, cur;
  const view = () => (mem.byteLength === 0 ? (mem = new Uint8Array(inst.exports.memory.buffer)) : mem);
  const inst = new WebAssembly.Instance(mod, {
    env: {
      wasm_on_message_begin: () => {
        fields = [];
        cur = kind === "request" ? { method: "", url: "", headers: null } : { status: 0, reason: "", headers: null };
        return 0;
      },
      wasm_on_url: (p, at, len) => {
        cur.url += str(view(), at, at + len);
        return 0;
      },
      wasm_on_status: (p, at, len) => {
        cur.reason += str(view(), at, at + len);
        return 0;
      },
      wasm_on_header_field: (p, at, len) => {
        field = str(view(), at, at + len).toLowerCase();
        return 0;
      },
      wasm_on_header_value: (p, at, len) => {
        fields.push([field, str(view(), at, at + len)]);
        return 0;
      },
      wasm_on_headers_complete: (p, status) => {
        cur.headers = fields;
        if (kind === "request") {
          cur.method = methodNames[inst.exports.llhttp_get_method(p)];
          out = cur;
        } else {
          cur.status = status;
          out.push(cur);
        }
        return 0;
      },
      wasm_on_body: (p, at, len) => {
        out.push(view().slice(at, at + len));
        return 0;
      },
      wasm_on_message_complete: () => 0,
    },
  });
  const e = inst.exports;
  if (e._initialize) e._initialize();
  const ptr = e.llhttp_alloc(kind === "request" ? constants.TYPE.REQUEST : constants.TYPE.RESPONSE);
  base = e.malloc(64 * 1024);
  mem = new Uint8Array(e.memory.buffer);
  return (buf) => {
    out = kind === "request" ? null : [];
    view().set(buf, base);
    const ret = e.llhttp_execute(ptr, base, buf.length);
    if (ret !== 0) throw new Error(`llhttp error ${ret}`);
    return out;
  };
}

// ---- undici's Milo (WASM) ----------------------------------------------------------------
function milo(kind) {
  let pkg;
  try {
    pkg = require("undici/lib/milo/simd.js");
  } catch {
    pkg = require("undici/lib/milo/no-simd.js");
  }
  const m = pkg.setup({});
  const parser = m.create();
  m.setShouldAutodetect(parser, false);
  m.setIsRequest(parser, kind === "request");
  m.setShouldManageUnconsumed(parser, false);
  m.setShouldSuspendAfterHeaders(parser, false);
  m.setActiveEvents(
    parser,
    m.EVENT_ACTIVE_ON_ERROR | m.EVENT_ACTIVE_ON_MESSAGE_COMPLETE | m.EVENT_ACTIVE_ON_METHOD |
      m.EVENT_ACTIVE_ON_URL | m.EVENT_ACTIVE_ON_STATUS | m.EVENT_ACTIVE_ON_REASON |
      m.EVENT_ACTIVE_ON_HEADER_NAME | m.EVENT_ACTIVE_ON_HEADER_VALUE | m.EVENT_ACTIVE_ON_HEADERS |
      m.EVENT_ACTIVE_ON_DATA,
  );
  const base = m.alloc(64 * 1024);
  let mem = new Uint8Array(m.memory.buffer);
  let dv = new DataView(m.memory.buffer);
  const eventsAt = dv.getUint32(parser + m.ParserFields.EVENTS, true);
  return (buf) => {
    if (mem.byteLength === 0) {
      mem = new Uint8Array(m.memory.buffer);
      dv = new DataView(m.memory.buffer);
    }
    mem.set(buf, base);
    const consumed = m.parse(parser, base, buf.length);
    if (consumed !== buf.length) throw new Error(`milo consumed ${consumed} of ${buf.length}`);
    if (mem.byteLength === 0) {
      mem = new Uint8Array(m.memory.buffer);
      dv = new DataView(m.memory.buffer);
    }
    const out = [];
    let cur = null;
    let field = "";
    for (let c = eventsAt; ; ) {
      const ev = mem[c];
      if (ev === m.EVENT_END) break;
      if (ev === m.EVENT_ERROR) throw new Error("milo error");
      const at = base + dv.getUint32(c + 1, true);
      const len = dv.getUint32(c + 5, true);
      let size = 9;
      switch (ev) {
        case m.EVENT_METHOD:
          cur = { method: str(mem, at, at + len), url: "", headers: [] };
          break;
        case m.EVENT_URL:
          cur.url = str(mem, at, at + len);
          break;
        case m.EVENT_STATUS:
          cur = { status: 0, reason: "", headers: [] };
          break;
        case m.EVENT_REASON:
          cur.reason = str(mem, at, at + len);
          break;
        case m.EVENT_HEADER_NAME:
          field = str(mem, at, at + len).toLowerCase();
          break;
        case m.EVENT_HEADER_VALUE:
          cur.headers.push([field, str(mem, at, at + len)]);
          break;
        case m.EVENT_HEADERS:
          size = 19;
          if (kind !== "request") cur.status = dv.getUint16(c + 5, true);
          out.push(cur);
          break;
        case m.EVENT_DATA:
          out.push(mem.slice(at, at + len));
          break;
        default:
          break;
      }
      c += size;
    }
    return kind === "request" ? out[0] : out;
  };
}

// ---- timing --------------------------------------------------------------------------------
// CPU time of this process rather than wall time: on a shared, loaded machine the wall clock
// also counts the time other processes held the CPU.
function time(fn, input, iterations) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < iterations; i++) fn(input);
  const d = process.cpuUsage(t0);
  return ((d.user + d.system) * 1000) / iterations;
}

function normalise(x) {
  return JSON.stringify(x, (k, v) => (v instanceof Uint8Array ? Array.from(v) : v));
}

function bench(title, input, entries, { iterations, rounds, perOp }) {
  console.log(`\n${title}`);
  const expected = normalise(entries[0].out(entries[0].fn(input)));
  const live = [];
  for (const e of entries) {
    try {
      const got = normalise(e.out(e.fn(input)));
      if (got !== expected) throw new Error(`output differs:\n  ${got}\n  ${expected}`);
      live.push({ ...e, samples: [] });
    } catch (err) {
      console.log(`  ${e.name}: skipped (${err.message.split("\n")[0]})`);
    }
  }
  for (const e of live) time(e.fn, input, iterations); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const e of live) {
      globalThis.gc?.(); // (node --expose-gc) start each sample without another parser's garbage
      e.samples.push(time(e.fn, input, iterations));
    }
  }
  const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  const h = med(live[0].samples);
  for (const e of live) e.ns = med(e.samples);
  const rows = live.map((e) => {
    const ratio = e.ns / h;
    return `  ${e.name.padEnd(44)} ${e.ns.toFixed(0).padStart(7)} ns/op ${(e.ns / perOp).toFixed(0).padStart(7)} ns/msg   ${ratio.toFixed(2)}x h1x's time`;
  });
  console.log(rows.join("\n"));
  return Object.fromEntries(live.map((e) => [e.name, e.ns]));
}

const quick = process.env.H1X_BENCH_QUICK === "1";
const opts = { iterations: quick ? 2000 : 10000, rounds: quick ? 3 : 15 };
const wasm = readFileSync(new URL("../dist/web/h1x_wasm_bg.wasm", import.meta.url));
console.log(`h1x bench, Node ${process.version}; h1x_wasm_bg.wasm ${wasm.length} bytes raw, ${gzipSync(wasm, { level: 9 }).length} gzipped`);

const hr = h1xRequest();
const id = (x) => x;
const reqOut = (x) => ({ method: x.method, url: x.url, headers: x.headers });
const fresh = (buf) => {
  const c = new h1x.Connection({ role: "server" });
  c.receiveData(buf);
  const req = c.nextEvent();
  c.nextEvent();
  c.free();
  return req;
};
const r1 = bench(
  `391-byte GET with 8 headers (one op = one request: bytes in, method, target, headers as strings)`,
  REQUEST,
  [
    { name: "h1x (decode only, new Connection per request)", fn: fresh, out: h1xRequestOut },
    { name: "h1x (keep-alive cycle: + 200 out, next cycle)", fn: hr.cycle, out: h1xRequestOut },
    { name: "node _http_common HTTPParser (llhttp, C++)", fn: nodeParser("request"), out: reqOut },
    { name: "undici llhttp (WASM)", fn: llhttp("request"), out: reqOut },
    { name: "undici Milo (WASM)", fn: milo("request"), out: reqOut },
  ],
  { ...opts, perOp: 1 },
);
const r2 = bench(
  `100, 102, 103, 103, 200 sequence, ${SEQUENCE.length} bytes (one op = the 5 responses; ns/msg = op / 5)`,
  SEQUENCE,
  [
    { name: "h1x (client cycle: request out, 5 heads + body in)", fn: h1xSequence(), out: id },
    { name: "node _http_common HTTPParser (llhttp, C++)", fn: nodeParser("response"), out: id },
    { name: "undici llhttp (WASM)", fn: llhttp("response"), out: id },
    { name: "undici Milo (WASM)", fn: milo("response"), out: id },
  ],
  { ...opts, perOp: 5 },
);
// the same figures as a Markdown table (for the README)
const table = ["| parser | 391-byte GET, ns | vs h1x | 100-102-103-103-200, ns (per message) | vs h1x |", "| --- | ---: | ---: | ---: | ---: |"];
const peers = [
  ["h1x (GET: decode on a new Connection; sequence: client cycle, request out)", "h1x (decode only, new Connection per request)", "h1x (client cycle: request out, 5 heads + body in)"],
  ["h1x, server keep-alive cycle (GET in, 200 out, startNextCycle)", "h1x (keep-alive cycle: + 200 out, next cycle)", null],
  ["Node `_http_common` HTTPParser (llhttp in C++)", "node _http_common HTTPParser (llhttp, C++)", "node _http_common HTTPParser (llhttp, C++)"],
  ["undici llhttp (WASM)", "undici llhttp (WASM)", "undici llhttp (WASM)"],
  ["undici Milo (WASM)", "undici Milo (WASM)", "undici Milo (WASM)"],
];
const h1 = r1[peers[0][1]], h2 = r2[peers[0][2]]; // the baselines
for (const [label, a, b] of peers) {
  const x = r1[a], y = b && r2[b];
  table.push(`| ${label} | ${x ? x.toFixed(0) : "n/a"} | ${x ? (x / h1).toFixed(2) + "x" : ""} | ${y ? `${y.toFixed(0)} (${(y / 5).toFixed(0)})` : "n/a"} | ${y ? (y / h2).toFixed(2) + "x" : ""} |`);
}
console.log("\n" + table.join("\n"));
console.log("\nJSON " + JSON.stringify({ request: r1, sequence: r2 }));
