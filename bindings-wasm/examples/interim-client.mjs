// A Node `net` client that uses h1x and prints every interim (1xx) response as it arrives, then
// the final response and its body.
//
//   node examples/interim-client.mjs http://127.0.0.1:8080/render
import { connect } from "node:net";
import { Connection, NEED_DATA } from "../dist/esm/h1x.mjs";

const url = new URL(process.argv[2] ?? "http://127.0.0.1:8080/render");
const conn = new Connection({ role: "client" });
const started = Date.now();
const since = () => `${String(Date.now() - started).padStart(5)} ms`;
const body = [];

const socket = connect(Number(url.port || 80), url.hostname, () => {
  socket.write(conn.send({
    type: "request",
    method: "POST",
    target: url.pathname + url.search,
    headers: [["Host", url.host], ["Content-Length", "2"], ["Connection", "close"]],
  }));
  socket.write(conn.send({ type: "data", data: "{}" }));
  conn.send({ type: "endOfMessage" });
});

function pump() {
  for (let ev = conn.nextEvent(); ev !== NEED_DATA; ev = conn.nextEvent()) {
    switch (ev.type) {
      case "informationalResponse":
        console.log(`${since()}  interim ${ev.statusCode} ${ev.reason}${ev.headers.map(([n, v]) => `  ${n}: ${v}`).join("")}`);
        break;
      case "response":
        console.log(`${since()}  final   ${ev.statusCode} ${ev.reason}${ev.headers.map(([n, v]) => `  ${n}: ${v}`).join("")}`);
        break;
      case "data":
        body.push(...ev.data);
        break;
      case "endOfMessage":
        console.log(`${since()}  body    ${new TextDecoder().decode(Uint8Array.from(body)).trim()}`);
        socket.end();
        return;
      default:
        return;
    }
  }
}

socket.on("data", (chunk) => {
  conn.receiveData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
  pump();
});
socket.on("end", () => {
  conn.receiveData(new Uint8Array(0));
  if (conn.theirState !== "DONE" && conn.theirState !== "MUST_CLOSE") pump();
});
socket.on("error", (e) => {
  console.error(`error: ${e.message}`);
  process.exitCode = 1;
});
