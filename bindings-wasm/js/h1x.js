// h1x: the JS side of the binding. This file is the body of `function h1x(Conn, memory, knownHeaderNames, stateNames, leniencyNames)`; the
// build (scripts/build.mjs) wraps it as CommonJS (Node), ESM (Node) and ESM (browsers).
// It holds no protocol logic: it copies bytes in and out of WASM memory and turns the records
// written by the WASM side (see src/lib.rs) into h11-style event objects.

const NEED_DATA_CODE = 0, REQUEST = 1, INFORMATIONAL = 2, RESPONSE = 3, DATA = 4;
const END_OF_MESSAGE = 5, CONNECTION_CLOSED = 6, PAUSED_CODE = 7, ERROR = 8;
const HEAD_WORDS = 11, HEADER_WORDS = 5, ARG_WORDS = 8, UPPER = 0xffffffff;
// Interned common field names, indexed by the name ids the WASM side reports (1-based).
const KNOWN = [""].concat(knownHeaderNames().split("\n"));
// How far past a head the cached string of received bytes may reach.
const SPAN = 16384;
// The core's tables (h1x::State::ALL, h1x::Leniency::ALL), read once.
const STATES = stateNames().split("\n");
const LENIENCY = Object.fromEntries(
  leniencyNames().split("\n").map((line) => { const [name, bits] = line.split("="); return [name, Number(bits)]; }),
);
const EMPTY = Object.freeze([]);

/** More bytes are needed before the next event (compare with `===`). */
const NEED_DATA = Object.freeze({ type: "needData" });
/** Nothing can be decoded until `startNextCycle()` (or ever, after a protocol switch). */
const PAUSED = Object.freeze({ type: "paused" });

/** A protocol error: `kind` (e.g. "BareLf"), `offset` (byte in the stream), `errorStatusHint`. */
class ProtocolError extends Error {
  constructor(message, kind, offset, errorStatusHint) {
    super(message);
    this.name = new.target.name;
    this.kind = kind;
    this.offset = offset;
    this.errorStatusHint = errorStatusHint;
  }
}
/** The peer broke the protocol (h11's RemoteProtocolError). */
class RemoteProtocolError extends ProtocolError {}
/** We were asked to send something the protocol forbids (h11's LocalProtocolError). */
class LocalProtocolError extends ProtocolError {}

// One view pair over WASM memory for all connections, renewed when memory grows (growing
// detaches the old ArrayBuffer, whose byteLength becomes 0). Only the WASM calls that allocate
// can grow it (new Conn, receive, send_reserve, send): each is followed by fresh(), so the views
// are current whenever JS reads them. Decoding never allocates.
let u8 = new Uint8Array(memory.buffer);
let u32 = new Uint32Array(memory.buffer);
function fresh() {
  if (u8.byteLength === 0) {
    u8 = new Uint8Array(memory.buffer);
    u32 = new Uint32Array(memory.buffer);
  }
}

const utf8 = new TextDecoder("utf-8");
const utf16 = new TextDecoder("utf-16le");
const encoder = new TextEncoder();

// Bytes -> string, one char per byte (latin-1). TextDecoder's UTF-8 is fast and exact for ASCII
// (which the check afterwards confirms: any byte >= 0x80 either shortens the string or yields
// U+FFFD); otherwise the bytes are widened to UTF-16 code units, since WHATWG's "latin1" label is
// really windows-1252. Returns null for non-ASCII when `asciiOnly`.
function latin1(at, len, asciiOnly) {
  if (len === 0) return "";
  const s = utf8.decode(u8.subarray(at, at + len));
  if (s.length === len && s.indexOf("\ufffd") === -1) return s;
  if (asciiOnly) return null;
  const wide = new Uint16Array(len);
  wide.set(u8.subarray(at, at + len));
  return utf16.decode(wide);
}

function headerList(head, base, rec) {
  const n = u32[rec + 10];
  if (n === 0) return [];
  const out = new Array(n);
  for (let i = 0, w = rec + HEAD_WORDS; i < n; i++, w += HEADER_WORDS) {
    const id = u32[w + 2];
    const v = base + u32[w + 3];
    let name;
    if (id === 0) name = head.slice(base + u32[w], base + u32[w] + u32[w + 1]);
    else if (id === UPPER) name = head.slice(base + u32[w], base + u32[w] + u32[w + 1]).toLowerCase();
    else name = KNOWN[id];
    out[i] = [name, head.slice(v, v + u32[w + 4])];
  }
  return out;
}

function throwError(rec, Cls) {
  const kind = latin1(u32[rec + 1], u32[rec + 2], false);
  const offset = u32[rec + 3], status = u32[rec + 4];
  const remote = u32[rec + 5] === 1;
  const C = Cls || (remote ? RemoteProtocolError : LocalProtocolError);
  const where = remote ? ` at byte ${offset}` : "";
  throw new C(`${kind}${where} (status ${status})`, kind, offset, status);
}

// Strings -> latin-1 bytes in WASM memory.
function byteLength(s, what) {
  if (typeof s !== "string") throw new TypeError(`${what} must be a string`);
  return s.length;
}

function put(s, at) {
  const n = s.length;
  if (n > 32) {
    const r = encoder.encodeInto(s, u8.subarray(at, at + n));
    if (r.read === n && r.written === n) return n; // all ASCII
  }
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw new TypeError(`character U+${c.toString(16)} is not latin-1: ${JSON.stringify(s)}`);
    u8[at + i] = c;
  }
  return n;
}

function checkHeaders(headers) {
  if (headers === undefined) return EMPTY;
  if (!Array.isArray(headers)) throw new TypeError("headers must be an array of [name, value]");
  return headers;
}

const CODE_OF = {
  request: REQUEST,
  informationalResponse: INFORMATIONAL,
  response: RESPONSE,
  data: DATA,
  endOfMessage: END_OF_MESSAGE,
  connectionClosed: CONNECTION_CLOSED,
};

/**
 * A sans-IO HTTP/1.1 connection (h11's model): feed bytes with `receiveData`, take events with
 * `nextEvent`, turn events into bytes with `send`.
 */
class Connection {
  constructor(options = {}) {
    const role = options.role;
    if (role !== "client" && role !== "server") {
      throw new TypeError('role must be "client" or "server"');
    }
    const max = options.maxIncompleteEventSize ?? 16384;
    for (const k of ["maxIncompleteEventSize", "maxHeadBytes", "maxLineBytes", "maxTrailerBytes", "maxChunkExtBytes", "maxHeaders"]) {
      const v = options[k];
      if (v !== undefined && !(Number.isInteger(v) && v > 0 && v <= 0xffffffff)) {
        throw new TypeError(`${k} must be a positive integer`);
      }
    }
    let leniency = 0;
    for (const l of options.leniency ?? EMPTY) {
      if (!(l in LENIENCY)) throw new TypeError(`unknown leniency ${l}`);
      leniency |= LENIENCY[l];
    }
    this.role = role;
    this._c = new Conn(
      role === "client" ? 0 : 1,
      options.maxHeadBytes ?? max,
      options.maxLineBytes ?? Math.min(8192, max),
      options.maxTrailerBytes ?? Math.min(8192, max),
      options.maxChunkExtBytes ?? 1024,
      leniency,
      options.maxHeaders ?? 128,
    );
    fresh();
    this._rec = this._c.record_ptr() >>> 2;
    this._capB = 0; // the send area: room for _capB bytes and _capH headers at _area
    this._capH = 0;
    this._area = 0;
    this._reserve(1024, 16);
    this._s = null; // cached string of received bytes (see _text)
    this._sAt = 0;
    this._base = 0;
  }

  /** Append bytes from the peer; an empty array means the peer closed (EOF). */
  receiveData(data) {
    if (!(data instanceof Uint8Array)) throw new TypeError("receiveData takes a Uint8Array");
    const n = data.length;
    if (n === 0) {
      this._c.receive_eof();
      return;
    }
    const at = this._c.receive(n);
    fresh();
    u8.set(data, at);
    this._s = null; // the received bytes moved or grew: the cached string is stale
  }

  // The string of the current event's head: a slice of one string decoded from the received
  // bytes, so that several heads in one read cost one decode. Sets this._base to the head's
  // position in it.
  _text(rec) {
    const at = u32[rec + 1], len = u32[rec + 2];
    const s = this._s;
    if (s !== null) {
      const base = at - this._sAt;
      if (base >= 0 && base + len <= s.length) {
        this._base = base;
        return s;
      }
    }
    const end = Math.min(u32[rec + 3], at + len + SPAN);
    let t = end > at + len ? latin1(at, end - at, true) : null;
    if (t === null) t = latin1(at, len, false); // not ASCII beyond the head (a body, say)
    this._s = t;
    this._sAt = at;
    this._base = 0;
    return t;
  }

  /** The next event, or NEED_DATA / PAUSED. Throws RemoteProtocolError. */
  nextEvent() {
    const code = this._c.decode();
    if (code === NEED_DATA_CODE) return NEED_DATA;
    const rec = this._rec;
    switch (code) {
      case DATA: {
        const at = u32[rec + 1], chunk = u32[rec + 3];
        return {
          type: "data",
          data: u8.slice(at, at + u32[rec + 2]),
          chunkStart: (chunk & 1) !== 0,
          chunkEnd: (chunk & 2) !== 0,
        };
      }
      case REQUEST: {
        const s = this._text(rec);
        const b = this._base;
        return {
          type: "request",
          method: s.slice(b + u32[rec + 6], b + u32[rec + 6] + u32[rec + 7]),
          target: s.slice(b + u32[rec + 8], b + u32[rec + 8] + u32[rec + 9]),
          headers: headerList(s, b, rec),
          httpVersion: u32[rec + 4] === 1 ? "1.1" : "1.0",
        };
      }
      case INFORMATIONAL:
      case RESPONSE: {
        const s = this._text(rec);
        const b = this._base;
        return {
          type: code === RESPONSE ? "response" : "informationalResponse",
          statusCode: u32[rec + 5],
          reason: s.slice(b + u32[rec + 6], b + u32[rec + 6] + u32[rec + 7]),
          headers: headerList(s, b, rec),
          httpVersion: u32[rec + 4] === 1 ? "1.1" : "1.0",
        };
      }
      case END_OF_MESSAGE: {
        if (u32[rec + 10] === 0) return { type: "endOfMessage", headers: [] };
        const s = this._text(rec);
        return { type: "endOfMessage", headers: headerList(s, this._base, rec) };
      }
      case CONNECTION_CLOSED:
        return { type: "connectionClosed" };
      case PAUSED_CODE:
        return PAUSED;
      default:
        return throwError(rec, RemoteProtocolError);
    }
  }

  /**
   * Encode an event; returns its bytes (a Uint8Array), or null for connectionClosed.
   * Throws LocalProtocolError when the event is not allowed now.
   */
  send(event) {
    const code = event && CODE_OF[event.type];
    if (code === undefined) throw new TypeError(`cannot send ${event && event.type}`);
    if ((code === END_OF_MESSAGE && event.headers === undefined) || code === CONNECTION_CLOSED) {
      u32[(this._area >>> 2) + 6] = 0; // no trailers, no arguments
      return this._send(code);
    }
    const headers = checkHeaders(event.headers);
    const nh = headers.length;
    let bytes = 0;
    let first = "", second = "", data = null, defaultReason = 0;
    if (code === REQUEST) {
      first = event.method;
      second = event.target;
      bytes = byteLength(first, "method") + byteLength(second, "target");
    } else if (code === INFORMATIONAL || code === RESPONSE) {
      if (!Number.isInteger(event.statusCode)) throw new TypeError("statusCode must be an integer");
      if (event.reason === undefined) defaultReason = 1;
      else bytes = byteLength((first = event.reason), "reason");
    } else if (code === DATA) {
      data = event.data;
      if (typeof data === "string") {
        first = data;
        data = null;
        bytes = first.length;
      } else if (data instanceof Uint8Array) {
        bytes = data.length;
      } else {
        throw new TypeError("data must be a Uint8Array");
      }
    }
    for (let i = 0; i < nh; i++) {
      const h = headers[i];
      if (!Array.isArray(h) || h.length !== 2) throw new TypeError("a header is a [name, value] pair");
      bytes += byteLength(h[0], "header name") + byteLength(h[1], "header value");
    }
    if (nh > this._capH || bytes > this._capB) this._reserve(bytes, nh);
    const area = this._area;
    const w = area >>> 2;
    let at = area + (ARG_WORDS + 4 * this._capH) * 4;
    const base = at;
    u32[w] = code === INFORMATIONAL || code === RESPONSE ? event.statusCode >>> 0 : 0;
    u32[w + 1] = event.httpVersion === "1.0" ? 0 : 1;
    u32[w + 6] = nh;
    u32[w + 7] = defaultReason;
    if (data !== null) {
      u8.set(data, at);
      u32[w + 2] = 0;
      u32[w + 3] = data.length;
      at += data.length;
    } else {
      u32[w + 2] = 0;
      u32[w + 3] = put(first, at);
      at += first.length;
      u32[w + 4] = at - base;
      u32[w + 5] = put(second, at);
      at += second.length;
    }
    for (let i = 0, hw = w + ARG_WORDS; i < nh; i++, hw += 4) {
      const h = headers[i];
      u32[hw] = at - base;
      u32[hw + 1] = put(h[0], at);
      at += h[0].length;
      u32[hw + 2] = at - base;
      u32[hw + 3] = put(h[1], at);
      at += h[1].length;
    }
    return this._send(code);
  }

  // Encode what the send area holds; returns the bytes (null for connectionClosed).
  _send(code) {
    const result = this._c.send(code);
    fresh();
    const rec = this._rec;
    if (result === ERROR) return throwError(rec, LocalProtocolError);
    if (code === CONNECTION_CLOSED) return null;
    const out = u32[rec + 1];
    return u8.slice(out, out + u32[rec + 2]);
  }

  _reserve(bytes, headers) {
    this._capB = Math.max(bytes, this._capB * 2);
    this._capH = Math.max(headers, this._capH * 2);
    this._area = this._c.send_reserve(this._capB, this._capH);
    fresh();
  }

  /** Reset both sides to IDLE after a complete keep-alive cycle. */
  startNextCycle() {
    if (this._c.start_next_cycle() === ERROR) {
      throwError(this._rec, LocalProtocolError);
    }
  }

  /** Mark our side as failed (h11's send_failed), e.g. after a socket write error. */
  sendFailed() {
    this._c.send_failed();
  }

  /** Our state: "IDLE", "SEND_RESPONSE", "SEND_BODY", "DONE", "MUST_CLOSE", ... */
  get ourState() {
    return STATES[this._c.states() & 0xff];
  }

  /** The peer's state. */
  get theirState() {
    return STATES[(this._c.states() >>> 8) & 0xff];
  }

  /** "1.0" or "1.1" once the peer's first head arrived, else null. */
  get theirHttpVersion() {
    const s = this._c.states();
    if ((s & (1 << 18)) === 0) return null;
    return s & (1 << 19) ? "1.0" : "1.1";
  }

  /** The client sent Expect: 100-continue and has seen neither 100 nor a final response. */
  get clientIsWaitingFor100Continue() {
    return (this._c.states() & (1 << 16)) !== 0;
  }

  /** We are the server and the client waits for 100 Continue. */
  get theyAreWaitingFor100Continue() {
    return (this._c.states() & (1 << 17)) !== 0;
  }

  /** `{ data, closed }`: received bytes not consumed yet, and whether the peer closed. */
  get trailingData() {
    this._c.trailing();
    const at = u32[this._rec + 1];
    const closed = (this._c.states() & (1 << 20)) !== 0;
    return { data: u8.slice(at, at + u32[this._rec + 2]), closed };
  }

  /** Free the WASM side now (otherwise the garbage collector does it). */
  free() {
    if (this._c) {
      this._c.free();
      this._c = null;
    }
  }
}

return { Connection, NEED_DATA, PAUSED, LocalProtocolError, RemoteProtocolError, ProtocolError };
