// The package as users load it: "h1x" through package.json's "exports" (Node's self-reference),
// as ESM and as CommonJS; both are the same API over the same .wasm.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

test('import "h1x" and require("h1x") give the same API', async () => {
  const esm = await import("h1x");
  const cjs = createRequire(import.meta.url)("h1x");
  for (const api of [esm, cjs]) {
    for (const name of ["Connection", "NEED_DATA", "PAUSED", "LocalProtocolError", "RemoteProtocolError"]) {
      assert.ok(api[name], name);
    }
    const c = new api.Connection({ role: "client" });
    const wire = c.send({ type: "request", method: "GET", target: "/", headers: [["Host", "a"]] });
    assert.equal(new TextDecoder().decode(wire), "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert.equal(c.ourState, "SEND_BODY");
  }
  assert.notEqual(esm.Connection, cjs.Connection); // two module instances, each with its own memory
});

test("the built .wasm is within the 100 KB budget", () => {
  const size = JSON.parse(readFileSync(new URL("../dist/size.json", import.meta.url), "utf8"));
  assert.ok(size.raw < 100 * 1024, `${size.raw} bytes`);
});
