// Interim (1xx) responses both ways through the JS API, and the API's shapes: getters, errors,
// sentinels, keep-alive, trailers, trailingData.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Connection,
  NEED_DATA,
  PAUSED,
  LocalProtocolError,
  RemoteProtocolError,
} from "../dist/esm/h1x.mjs";

const bytes = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b) => String.fromCharCode(...b);

/** All events until NEED_DATA (PAUSED and connectionClosed end the list too). */
function drain(conn) {
  const out = [];
  for (;;) {
    const ev = conn.nextEvent();
    if (ev === NEED_DATA) return out;
    out.push(ev);
    if (ev === PAUSED || ev.type === "connectionClosed") return out;
  }
}

/** A client/server pair: what one sends, the other receives. */
function pair() {
  const client = new Connection({ role: "client" });
  const server = new Connection({ role: "server" });
  const toServer = (ev) => {
    const b = client.send(ev);
    if (b && b.length) server.receiveData(b); // an empty array would mean EOF
    return drain(server);
  };
  const toClient = (ev) => {
    const b = server.send(ev);
    if (b && b.length) client.receiveData(b);
    return drain(client);
  };
  return { client, server, toServer, toClient };
}

test("server sends 100, 102, 102, 103, 104 then 200; client sees each in order", () => {
  const { client, server, toServer, toClient } = pair();
  let evs = toServer({
    type: "request",
    method: "POST",
    target: "/render",
    headers: [["Host", "example.com"], ["Content-Length", "2"], ["Expect", "100-continue"]],
  });
  assert.equal(evs.length, 1);
  assert.deepEqual(evs[0], {
    type: "request",
    method: "POST",
    target: "/render",
    headers: [["host", "example.com"], ["content-length", "2"], ["expect", "100-continue"]],
    httpVersion: "1.1",
  });
  assert.equal(server.theyAreWaitingFor100Continue, true);
  assert.equal(client.clientIsWaitingFor100Continue, true);
  assert.equal(server.theirState, "SEND_BODY");
  assert.equal(server.ourState, "SEND_RESPONSE");

  // 102 and 103 do not end the 100-continue wait; 100 does
  evs = toClient({ type: "informationalResponse", statusCode: 102 });
  assert.deepEqual(evs, [
    { type: "informationalResponse", statusCode: 102, reason: "Processing", headers: [], httpVersion: "1.1" },
  ]);
  assert.equal(client.clientIsWaitingFor100Continue, true);
  evs = toClient({ type: "informationalResponse", statusCode: 100 });
  assert.equal(evs[0].statusCode, 100);
  assert.equal(evs[0].reason, "Continue");
  assert.equal(client.clientIsWaitingFor100Continue, false);
  assert.equal(server.theyAreWaitingFor100Continue, false);

  // Content-Length framing: the server sees the end as soon as the last byte arrives
  evs = toServer({ type: "data", data: bytes("{}") });
  assert.equal(text(evs[0].data), "{}");
  assert.deepEqual(evs[1], { type: "endOfMessage", headers: [] });
  assert.equal(client.send({ type: "endOfMessage" }).length, 0);

  for (let i = 1; i <= 3; i++) {
    evs = toClient({ type: "informationalResponse", statusCode: 102, headers: [["Progress", `${i}/3`]] });
    assert.deepEqual(evs[0].headers, [["progress", `${i}/3`]]);
    assert.equal(server.ourState, "SEND_RESPONSE");
  }
  evs = toClient({
    type: "informationalResponse",
    statusCode: 103,
    headers: [["Link", "</style.css>; rel=preload"], ["Link", "</app.js>; rel=preload"]],
  });
  assert.deepEqual(evs[0].headers, [["link", "</style.css>; rel=preload"], ["link", "</app.js>; rel=preload"]]);
  evs = toClient({ type: "informationalResponse", statusCode: 199, reason: "Whatever Comes" });
  assert.deepEqual([evs[0].statusCode, evs[0].reason], [199, "Whatever Comes"]);

  evs = toClient({ type: "response", statusCode: 200, headers: [["Content-Length", "2"]] });
  assert.equal(evs[0].type, "response");
  assert.equal(client.theirState, "SEND_BODY");
  // nothing interim after the final response
  assert.throws(() => server.send({ type: "informationalResponse", statusCode: 102 }), (e) => {
    assert.ok(e instanceof LocalProtocolError);
    assert.equal(e.kind, "IllegalEvent");
    return true;
  });
});

test("a 1xx carrying Content-Length or Transfer-Encoding has no body", () => {
  const client = new Connection({ role: "client" });
  client.send({ type: "request", method: "GET", target: "/", headers: [["Host", "a"]] });
  client.send({ type: "endOfMessage" });
  client.receiveData(
    bytes(
      "HTTP/1.1 104 Upload Resumption Supported\r\nContent-Length: 5\r\n\r\n" +
        "HTTP/1.1 103 Early Hints\r\nTransfer-Encoding: chunked\r\n\r\n" +
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    ),
  );
  const evs = drain(client);
  assert.deepEqual(
    evs.map((e) => e.statusCode ?? e.type),
    [104, 103, 200, "data", "endOfMessage"],
  );
  assert.equal(client.ourState, "DONE");
  assert.equal(client.theirState, "DONE");
  client.startNextCycle();
  assert.equal(client.ourState, "IDLE");
});

test("no 1xx to an HTTP/1.0 client; 101 only after Upgrade", () => {
  const server = new Connection({ role: "server" });
  server.receiveData(bytes("GET / HTTP/1.0\r\n\r\n"));
  assert.equal(server.nextEvent().httpVersion, "1.0");
  assert.equal(server.theirHttpVersion, "1.0");
  assert.throws(() => server.send({ type: "informationalResponse", statusCode: 102 }), {
    name: "LocalProtocolError",
    kind: "InterimToHttp10",
  });
  assert.equal(server.ourState, "ERROR");

  const client = new Connection({ role: "client" });
  client.send({ type: "request", method: "GET", target: "/", headers: [["Host", "a"]] });
  client.send({ type: "endOfMessage" });
  client.receiveData(bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"));
  assert.throws(() => client.nextEvent(), (e) => {
    assert.ok(e instanceof RemoteProtocolError);
    assert.equal(e.kind, "UnexpectedSwitch");
    assert.equal(e.errorStatusHint, 400);
    assert.equal(typeof e.offset, "number");
    return true;
  });
  assert.equal(client.theirState, "ERROR");
});

test("101 after Upgrade switches protocols; the rest is trailingData", () => {
  const { client, server, toServer } = pair();
  toServer({
    type: "request",
    method: "GET",
    target: "/chat",
    headers: [["Host", "a"], ["Connection", "Upgrade"], ["Upgrade", "websocket"]],
  });
  toServer({ type: "endOfMessage" });
  client.receiveData(server.send({ type: "informationalResponse", statusCode: 101, headers: [["Upgrade", "websocket"]] }));
  client.receiveData(bytes("\x81\x02hi"));
  const evs = drain(client);
  assert.equal(evs[0].statusCode, 101);
  assert.equal(evs[1], PAUSED);
  assert.equal(client.theirState, "SWITCHED_PROTOCOL");
  assert.equal(client.ourState, "SWITCHED_PROTOCOL");
  const { data, closed } = client.trailingData;
  assert.deepEqual([...data], [0x81, 2, 0x68, 0x69]);
  assert.equal(closed, false);
});

test("keep-alive cycles, pipelining (PAUSED), chunked bodies with trailers", () => {
  const server = new Connection({ role: "server" });
  server.receiveData(
    bytes(
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
        "3\r\nabc\r\n0\r\nChecksum: 42\r\n\r\n" +
        "GET /b HTTP/1.1\r\nHost: x\r\n\r\n",
    ),
  );
  const evs = drain(server);
  assert.deepEqual(evs.map((e) => e.type), ["request", "data", "endOfMessage", "paused"]);
  assert.deepEqual(evs[2].headers, [["checksum", "42"]]);
  assert.equal(text(evs[1].data), "abc");
  const out = [
    server.send({ type: "informationalResponse", statusCode: 103, headers: [["Link", "</a.css>; rel=preload"]] }),
    server.send({ type: "response", statusCode: 200, headers: [["Transfer-Encoding", "chunked"]] }),
    server.send({ type: "data", data: bytes("hello") }),
    server.send({ type: "endOfMessage", headers: [["X-Done", "1"]] }),
  ];
  assert.equal(
    out.map(text).join(""),
    "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" +
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Done: 1\r\n\r\n",
  );
  server.startNextCycle();
  const next = drain(server);
  assert.equal(next[0].target, "/b");
  assert.equal(next[1].type, "endOfMessage");
});

test("EOF: connectionClosed, and a message cut short is a RemoteProtocolError", () => {
  const server = new Connection({ role: "server" });
  server.receiveData(new Uint8Array(0));
  assert.deepEqual(server.nextEvent(), { type: "connectionClosed" });
  assert.equal(server.theirState, "CLOSED");
  assert.equal(server.trailingData.closed, true);
  assert.equal(server.send({ type: "connectionClosed" }), null);

  const cut = new Connection({ role: "server" });
  cut.receiveData(bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc"));
  cut.receiveData(new Uint8Array(0));
  assert.equal(cut.nextEvent().type, "request");
  assert.equal(text(cut.nextEvent().data), "abc");
  assert.throws(() => cut.nextEvent(), { name: "RemoteProtocolError", kind: "IncompleteMessage" });
  // the connection stays errored
  assert.throws(() => cut.nextEvent(), RemoteProtocolError);
});

test("errors carry kind, offset and errorStatusHint", () => {
  const server = new Connection({ role: "server" });
  server.receiveData(bytes("GET / HTTP/1.1\nHost: a\r\n\r\n"));
  assert.throws(() => server.nextEvent(), (e) => {
    assert.ok(e instanceof RemoteProtocolError);
    assert.ok(e instanceof Error);
    assert.equal(e.kind, "BareLf");
    assert.equal(e.offset, 14);
    assert.equal(e.errorStatusHint, 400);
    return true;
  });
  const big = new Connection({ role: "server", maxIncompleteEventSize: 64 });
  big.receiveData(bytes("GET / HTTP/1.1\r\nHost: a\r\nX: " + "y".repeat(100) + "\r\n\r\n"));
  assert.throws(() => big.nextEvent(), { name: "RemoteProtocolError", errorStatusHint: 431 });

  const client = new Connection({ role: "client" });
  assert.throws(() => client.send({ type: "response", statusCode: 200 }), LocalProtocolError);
  assert.throws(() => new Connection({ role: "proxy" }), TypeError);
  assert.throws(() => new Connection({ role: "server", maxIncompleteEventSize: "big" }), TypeError);
  assert.throws(() => new Connection({ role: "server", maxHeaders: -1 }), TypeError);
  for (const k of ["maxHeadBytes", "maxLineBytes", "maxTrailerBytes", "maxChunkExtBytes", "maxHeaders"]) {
    assert.throws(() => new Connection({ role: "server", [k]: 1.5 }), { name: "TypeError", message: `${k} must be a positive integer` });
    assert.throws(() => new Connection({ role: "server", [k]: 2 ** 32 }), TypeError);
  }
  // unknown event types, inherited property names included
  for (const type of ["toString", "constructor", "__proto__", "needData", undefined]) {
    assert.throws(() => new Connection({ role: "server" }).send({ type }), { name: "TypeError", message: /cannot send/ });
  }
  assert.throws(() => new Connection({ role: "server" }).receiveData("GET"), TypeError);
  const c2 = new Connection({ role: "client" });
  assert.throws(() => c2.send({ type: "request", method: "GET", target: "/\u20ac", headers: [["Host", "a"]] }), TypeError);
  assert.throws(() => c2.startNextCycle(), { name: "LocalProtocolError", kind: "IllegalEvent" });
});

test("header bytes map 1:1 to chars (latin-1), both ways", () => {
  const { client, toServer, toClient } = pair();
  const value = "caf\u00e9 \u0080\u009f\u00ff";
  const evs = toServer({ type: "request", method: "GET", target: "/", headers: [["Host", "a"], ["X-Name", value]] });
  assert.equal(evs[0].headers[1][1], value);
  toServer({ type: "endOfMessage" });
  const res = toClient({ type: "response", statusCode: 200, reason: "D\u00e9j\u00e0 vu", headers: [["Content-Length", "0"]] });
  assert.equal(res[0].reason, "D\u00e9j\u00e0 vu");
  assert.equal(client.theirState, "DONE");
});

test("large bodies and many small reads", () => {
  const server = new Connection({ role: "server" });
  const body = new Uint8Array(300000).map((_, i) => i & 0xff);
  const head = bytes(`PUT /big HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\n\r\n`);
  for (let i = 0; i < head.length; i++) server.receiveData(head.subarray(i, i + 1));
  assert.equal(server.nextEvent().method, "PUT");
  let got = 0;
  for (let i = 0; i < body.length; i += 65536) {
    server.receiveData(body.subarray(i, i + 65536));
    for (let ev = server.nextEvent(); ev !== NEED_DATA; ev = server.nextEvent()) {
      if (ev.type === "data") {
        assert.equal(ev.data[0], body[got]);
        got += ev.data.length;
      } else assert.equal(ev.type, "endOfMessage");
    }
  }
  assert.equal(got, body.length);
  assert.equal(server.theirState, "DONE");
  const big = server.send({ type: "response", statusCode: 200, headers: [["Content-Length", String(body.length)]] });
  assert.ok(text(big).startsWith("HTTP/1.1 200 OK\r\n"));
  assert.equal(server.send({ type: "data", data: body }).length, body.length);
});

test("WASM memory growth by one connection does not disturb another", () => {
  const a = new Connection({ role: "server" });
  a.receiveData(bytes("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nab"));
  assert.equal(a.nextEvent().target, "/a");
  const b = new Connection({ role: "client" });
  const big = new Uint8Array(8 << 20); // grows the memory: every old view is detached
  b.send({ type: "request", method: "GET", target: "/", headers: [["Host", "x"]] });
  b.receiveData(big);
  assert.equal(text(a.nextEvent().data), "ab");
  a.receiveData(bytes("c"));
  assert.equal(text(a.nextEvent().data), "c");
  assert.equal(a.nextEvent().type, "endOfMessage");
  assert.equal(a.send({ type: "response", statusCode: 204 }).length > 0, true);
  assert.throws(() => b.nextEvent(), RemoteProtocolError);
  b.free();
});
