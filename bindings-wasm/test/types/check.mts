// Compiled with tsc --strict by types.test.mjs: the published types accept correct use and reject
// wrong use (each @ts-expect-error must be an error).
import {
  Connection,
  NEED_DATA,
  PAUSED,
  RemoteProtocolError,
  LocalProtocolError,
  type ReceivedEvent,
  type Header,
  type State,
} from "h1x";

const server = new Connection({ role: "server", maxIncompleteEventSize: 8192, leniency: ["BARE_LF"] });
server.receiveData(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
const ev: ReceivedEvent = server.nextEvent();
if (ev !== NEED_DATA && ev !== PAUSED) {
  switch (ev.type) {
    case "request": {
      const method: string = ev.method;
      const headers: Header[] = ev.headers;
      const version: "1.0" | "1.1" = ev.httpVersion;
      void [method, headers, version];
      break;
    }
    case "informationalResponse":
    case "response": {
      const status: number = ev.statusCode;
      const reason: string = ev.reason;
      void [status, reason];
      break;
    }
    case "data": {
      const data: Uint8Array = ev.data;
      void data;
      break;
    }
    case "endOfMessage":
      void ev.headers.length;
      break;
    case "connectionClosed":
      break;
  }
}
const interim: Uint8Array = server.send({ type: "informationalResponse", statusCode: 102, headers: [["Progress", "1/2"]] });
const bytes: Uint8Array = server.send({ type: "response", statusCode: 200, headers: [["Content-Length", "0"]] });
const closed: null = server.send({ type: "connectionClosed" });
const state: State = server.ourState;
const waiting: boolean = server.theyAreWaitingFor100Continue || server.clientIsWaitingFor100Continue;
const version: "1.0" | "1.1" | null = server.theirHttpVersion;
const rest: { data: Uint8Array; closed: boolean } = server.trailingData;
void [interim, bytes, closed, state, waiting, version, rest];
server.startNextCycle();
server.free();

try {
  server.nextEvent();
} catch (e) {
  if (e instanceof RemoteProtocolError || e instanceof LocalProtocolError) {
    const hint: number = e.errorStatusHint;
    const kind: string = e.kind;
    const offset: number = e.offset;
    void [hint, kind, offset];
  }
}

// @ts-expect-error the role is "client" or "server"
new Connection({ role: "proxy" });
// @ts-expect-error statusCode is required
server.send({ type: "response" });
// @ts-expect-error headers are [name, value] pairs
server.send({ type: "response", statusCode: 200, headers: [["Content-Length"]] });
// @ts-expect-error not an event
server.send({ type: "needData" });
// @ts-expect-error the state is read-only
server.ourState = "IDLE";
