// The package as users load it: "h1x" through package.json's "exports" (Node's self-reference),
// as ESM and as CommonJS; both are the same API over the same .wasm.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { workspaceVersion } from "../scripts/version.mjs";

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

test('"h1x/inline" (the .wasm embedded, for esbuild) is the same API', async () => {
  const inline = await import("h1x/inline");
  const s = new inline.Connection({ role: "server" });
  s.receiveData(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  assert.deepEqual(s.nextEvent(), { type: "request", method: "GET", target: "/", headers: [["host", "a"]], httpVersion: "1.1" });
  const wire = s.send({ type: "informationalResponse", statusCode: 103, headers: [["Link", "</a.css>; rel=preload"]] });
  assert.equal(new TextDecoder().decode(wire), "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n");
});

// Budget: 70 KiB raw (71,680 bytes). Over it, see the README's "Size" paragraph for what was
// measured and what each build setting costs.
test("the built .wasm is within the 70 KiB budget", () => {
  const size = JSON.parse(readFileSync(new URL("../dist/size.json", import.meta.url), "utf8"));
  assert.ok(size.raw <= 70 * 1024, `${size.raw} bytes`);
});

test("package.json carries the workspace version (Cargo.toml), as does its lock", () => {
  const version = workspaceVersion();
  for (const f of ["package.json", "package-lock.json"]) {
    const json = JSON.parse(readFileSync(new URL(`../${f}`, import.meta.url), "utf8"));
    assert.equal(json.version, version, f);
  }
  assert.match(version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
});
