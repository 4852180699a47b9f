// What the app does with h1x, the same in Node and in the browser: a client sends a request and
// decodes a 102, 103, 200 stream that arrives in three reads; a server decodes a request and
// sends a 103 and a chunked 200. Returns plain data for the checks to compare.
export function run({ Connection, NEED_DATA, RemoteProtocolError }) {
  const enc = (s) => new TextEncoder().encode(s);
  const dec = (b) => new TextDecoder().decode(b);
  const client = new Connection({ role: "client" });
  const request = dec(client.send({ type: "request", method: "GET", target: "/panorama", headers: [["Host", "example.com"]] }));
  client.send({ type: "endOfMessage" });
  const events = [];
  for (const piece of [
    "HTTP/1.1 102 Processing\r\nProgress: 1/2\r\n\r\nHTTP/1.1 103 Ea",
    "rly Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n",
    "Content-Length: 5\r\n\r\nhello",
  ]) {
    client.receiveData(enc(piece));
    for (let ev = client.nextEvent(); ev !== NEED_DATA; ev = client.nextEvent()) {
      events.push(ev.type === "data" ? { type: "data", data: dec(ev.data), isUint8Array: ev.data instanceof Uint8Array } : ev);
    }
  }
  const server = new Connection({ role: "server" });
  server.receiveData(enc("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"));
  const serverRequest = server.nextEvent();
  server.nextEvent();
  const response =
    dec(server.send({ type: "informationalResponse", statusCode: 103, headers: [["Link", "</app.js>; rel=preload"]] })) +
    dec(server.send({ type: "response", statusCode: 200, headers: [["Transfer-Encoding", "chunked"]] })) +
    dec(server.send({ type: "data", data: enc("hi") })) +
    dec(server.send({ type: "endOfMessage" }));
  const bad = new Connection({ role: "server" });
  bad.receiveData(enc("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"));
  let error = null;
  try {
    bad.nextEvent();
  } catch (e) {
    error = { isRemote: e instanceof RemoteProtocolError, kind: e.kind, status: e.errorStatusHint };
  }
  return { request, events, states: [client.ourState, client.theirState], serverRequest, response, error };
}

export const EXPECTED = {
  request: "GET /panorama HTTP/1.1\r\nHost: example.com\r\n\r\n",
  events: [
    { type: "informationalResponse", statusCode: 102, reason: "Processing", headers: [["progress", "1/2"]], httpVersion: "1.1" },
    { type: "informationalResponse", statusCode: 103, reason: "Early Hints", headers: [["link", "</style.css>; rel=preload"]], httpVersion: "1.1" },
    { type: "response", statusCode: 200, reason: "OK", headers: [["content-type", "text/plain"], ["content-length", "5"]], httpVersion: "1.1" },
    { type: "data", data: "hello", isUint8Array: true },
    { type: "endOfMessage", headers: [] },
  ],
  states: ["DONE", "DONE"],
  serverRequest: { type: "request", method: "GET", target: "/", headers: [["host", "example.com"]], httpVersion: "1.1" },
  response:
    "HTTP/1.1 103 Early Hints\r\nLink: </app.js>; rel=preload\r\n\r\n" +
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
  error: { isRemote: true, kind: "DuplicateContentLength", status: 400 },
};
