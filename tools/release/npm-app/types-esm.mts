// tsc --strict, module node16: the types an ESM user gets from "h1x" and "h1x/inline".
import { Connection, NEED_DATA, type ReceivedEvent } from "h1x";
import * as inline from "h1x/inline";

const c: Connection = new Connection({ role: "client" });
const wire: Uint8Array = c.send({ type: "request", method: "GET", target: "/", headers: [["Host", "a"]] })!;
const ev: ReceivedEvent = c.nextEvent();
if (ev !== NEED_DATA && ev.type === "informationalResponse") {
  const code: number = ev.statusCode;
  void code;
}
const s: inline.Connection = new inline.Connection({ role: "server" });
void wire;
void s;
