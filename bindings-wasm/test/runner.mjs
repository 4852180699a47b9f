// The vector runner: core/tests/vectors/README.md's rules over the JS API (used by
// vectors.test.mjs and random.test.mjs).
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";

const dir = new URL("../../core/tests/vectors/", import.meta.url);

export function latin1Bytes(s) {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw new Error("vector strings are latin-1");
    b[i] = c;
  }
  return b;
}

const text = (b) => Array.from(b, (c) => String.fromCharCode(c)).join("");
const lowerHeaders = (h) => h.map(([n, v]) => [n.toLowerCase(), v]);

function eventJson(api, ev) {
  if (ev === api.PAUSED) return { type: "paused" };
  switch (ev.type) {
    case "request":
      return { type: "request", method: ev.method, target: ev.target, version: ev.httpVersion, headers: ev.headers };
    case "informationalResponse":
    case "response":
      return {
        type: ev.type === "response" ? "response" : "informational_response",
        status: ev.statusCode,
        reason: ev.reason,
        version: ev.httpVersion,
        headers: ev.headers,
      };
    case "data":
      assert.ok(ev.data instanceof Uint8Array);
      return { type: "data", data: text(ev.data) };
    case "endOfMessage":
      return { type: "end_of_message", headers: ev.headers };
    case "connectionClosed":
      return { type: "connection_closed" };
    default:
      throw new Error(`unexpected event ${JSON.stringify(ev)}`);
  }
}

function normalise(events) {
  return events.map((e) => {
    const out = { ...e };
    if (["request", "response", "informational_response", "end_of_message"].includes(e.type)) {
      out.headers = lowerHeaders(e.headers ?? []);
    }
    if (["request", "response", "informational_response"].includes(e.type) && out.version === undefined) {
      out.version = "1.1";
    }
    return out;
  });
}

function options(c) {
  const cfg = c.config ?? {};
  const o = { role: c.role, maxHeaders: cfg.max_headers ?? 64, leniency: cfg.leniency ?? [] };
  if (cfg.max_head_bytes !== undefined) o.maxHeadBytes = cfg.max_head_bytes;
  else o.maxHeadBytes = 16384;
  o.maxLineBytes = cfg.max_line_bytes ?? 8192;
  o.maxTrailerBytes = cfg.max_trailer_bytes ?? 8192;
  o.maxChunkExtBytes = cfg.max_chunk_ext_bytes ?? 1024;
  return o;
}

const DEFAULT_REQUEST = { method: "GET", target: "/", headers: [["Host", "example.com"]] };

/** Runs `c` with its input cut at `cuts`; returns { events, error, chunks }. */
export function run(api, c, cuts) {
  const input = latin1Bytes(c.input);
  const conn = new api.Connection(options(c));
  const request = c.request ?? DEFAULT_REQUEST;
  const events = [];
  const chunks = []; // the data of each chunk, cut where chunkStart / chunkEnd say
  let chunkOpen = false;
  const sendRequest = () => {
    conn.send({ type: "request", method: request.method, target: request.target, headers: request.headers });
    if (conn.ourState === "SEND_BODY") conn.send({ type: "endOfMessage" });
  };
  const cycle = () => {
    if (conn.role === "server" && conn.ourState === "SEND_RESPONSE" && conn.theirState === "DONE") {
      conn.send({ type: "response", statusCode: 200, headers: [["Content-Length", "0"]] });
      conn.send({ type: "endOfMessage" });
    }
    if (conn.ourState === "DONE" && conn.theirState === "DONE") {
      conn.startNextCycle();
      if (conn.role === "client") sendRequest();
    }
  };
  // returns false once decoding stopped for good
  const pump = () => {
    for (let guard = 0; guard < 100000; guard++) {
      const ev = conn.nextEvent();
      if (ev === api.NEED_DATA) return true;
      const j = eventJson(api, ev);
      if (ev.type === "data") {
        if (ev.chunkStart) {
          chunks.push("");
          chunkOpen = true;
        }
        if (chunkOpen) chunks[chunks.length - 1] += j.data;
        if (ev.chunkEnd) chunkOpen = false;
      }
      const last = events[events.length - 1];
      if (j.type === "data" && last && last.type === "data") last.data += j.data;
      else events.push(j);
      if (ev === api.PAUSED || ev.type === "connectionClosed") return false;
      if (ev.type === "endOfMessage") cycle();
    }
    throw new Error("no NEED_DATA after 100000 events");
  };
  if (c.role === "client" && !c.no_request) sendRequest();
  let error = null;
  try {
    let prev = 0;
    let going = true;
    for (const cut of [...cuts, input.length]) {
      if (cut > prev) conn.receiveData(input.subarray(prev, cut)); // an empty piece would mean EOF
      prev = cut;
      if (!(going = pump())) break;
    }
    if (going && c.eof) {
      conn.receiveData(new Uint8Array(0));
      pump();
    }
  } catch (e) {
    if (!(e instanceof api.RemoteProtocolError)) throw e;
    assert.equal(conn.theirState, "ERROR");
    error = { kind: e.kind, offset: e.offset, status: e.errorStatusHint };
  } finally {
    conn.free();
  }
  return { events, error, chunks };
}

export function check(api, c, cuts) {
  const { events, error, chunks } = run(api, c, cuts);
  const want = normalise(c.events);
  let wantError = c.error ?? null;
  let gotError = error;
  if (wantError && gotError) {
    wantError = { ...wantError };
    gotError = { ...gotError };
    if (wantError.status === undefined) delete gotError.status;
    if (wantError.offset === undefined) delete gotError.offset;
  }
  const where = `${c.name} cut at ${JSON.stringify(cuts.length > 3 ? "every byte" : cuts)}`;
  assert.deepStrictEqual(events, want, `events: ${where}`);
  assert.deepStrictEqual(gotError, wantError, `error: ${where}`);
  if (c.chunks !== undefined) assert.deepStrictEqual(chunks, c.chunks, `chunks: ${where}`);
}

export function loadCases() {
  const cases = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const doc = JSON.parse(readFileSync(new URL(f, dir), "utf8"));
    for (const c of doc.cases) cases.push({ file: f, c });
  }
  return cases;
}

