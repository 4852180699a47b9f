// A Node `net` server that uses h1x to keep clients (and proxies) waiting through a long job:
// `103 Early Hints` at once, `102 Processing` heartbeats with a Progress field while the job
// runs, then the final `200`. h1x does the HTTP; this file does the sockets and the timers.
//
//   node examples/heartbeat-server.mjs          # PORT (default 8080), JOB_MS (3000), BEAT_MS (1000)
//   node examples/interim-client.mjs http://127.0.0.1:8080/render
import { createServer } from "node:net";
import { Connection, NEED_DATA, PAUSED, RemoteProtocolError } from "../dist/esm/h1x.mjs";

const PORT = Number(process.env.PORT ?? 8080);
const JOB_MS = Number(process.env.JOB_MS ?? 3000);
const BEAT_MS = Number(process.env.BEAT_MS ?? 1000);
const text = (s) => new TextEncoder().encode(s);

function serve(socket) {
  const conn = new Connection({ role: "server" });
  let busy = false;
  let request = null;

  const write = (event) => {
    const bytes = conn.send(event);
    if (bytes && bytes.length) socket.write(bytes);
  };

  // the "long job": a render that reports progress; each tick sends a 102 heartbeat
  const runJob = () => {
    busy = true;
    const steps = Math.max(1, Math.round(JOB_MS / BEAT_MS));
    let step = 0;
    const timer = setInterval(() => {
      step++;
      if (step < steps) {
        write({ type: "informationalResponse", statusCode: 102, headers: [["Progress", `${step}/${steps}`]] });
        return;
      }
      clearInterval(timer);
      const body = text(JSON.stringify({ rendered: request.target, steps }) + "\n");
      write({
        type: "response",
        statusCode: 200,
        headers: [["Content-Type", "application/json"], ["Content-Length", String(body.length)]],
      });
      write({ type: "data", data: body });
      write({ type: "endOfMessage" });
      busy = false;
      if (conn.ourState === "MUST_CLOSE") socket.end();
      else {
        conn.startNextCycle(); // keep-alive: a pipelined request may already be waiting
        pump();
      }
    }, BEAT_MS);
    socket.once("close", () => clearInterval(timer));
  };

  const pump = () => {
    while (!busy) {
      let ev;
      try {
        ev = conn.nextEvent();
      } catch (e) {
        if (!(e instanceof RemoteProtocolError)) throw e;
        socket.end(`HTTP/1.1 ${e.errorStatusHint} Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      if (ev === NEED_DATA || ev === PAUSED) return;
      if (ev.type === "connectionClosed") return void socket.end();
      if (ev.type === "request") {
        request = ev;
        console.log(`${ev.method} ${ev.target}`);
        if (conn.theirHttpVersion === "1.1") {
          // hints before the work starts (none to HTTP/1.0 clients: h1x refuses that)
          write({ type: "informationalResponse", statusCode: 103, headers: [["Link", "</panorama.css>; rel=preload; as=style"]] });
        }
      }
      if (ev.type === "endOfMessage") runJob();
    }
  };

  socket.on("data", (chunk) => {
    conn.receiveData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    pump();
  });
  socket.on("end", () => {
    conn.receiveData(new Uint8Array(0));
    pump();
  });
  socket.on("error", () => socket.destroy());
  socket.on("close", () => conn.free());
}

const server = createServer(serve);
server.listen(PORT, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/ (job ${JOB_MS} ms, a 102 every ${BEAT_MS} ms)`);
});
