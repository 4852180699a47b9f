// The browser build in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
// a page served on loopback imports dist/browser/h1x.mjs, decodes a 102, 103, 200 stream and
// encodes a response. Also checks that nothing in the browser build mentions Node's Buffer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("..", import.meta.url));
const TYPES = { ".html": "text/html", ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm" };
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(new URL(req.url, "http://x").pathname);
    const file = path === "/" ? "test/browser/page.html" : path.slice(1);
    const allowed = file === "test/browser/page.html" || file.startsWith("dist/");
    try {
      if (!allowed) throw new Error("not served");
      const body = await readFile(join(root, file));
      res.writeHead(200, { "content-type": TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

test("the browser build has no reference to Node's Buffer or node: modules", () => {
  for (const f of ["dist/browser/h1x.mjs", "dist/inline/h1x.mjs", "dist/web/h1x_wasm.js"]) {
    const src = readFileSync(join(root, f), "utf8");
    assert.doesNotMatch(src, /\bBuffer\b/, f);
    assert.doesNotMatch(src, /["']node:|require\(/, f);
  }
});

test("headless Chromium decodes 102, 103, 200 and encodes a response", { timeout: 120000 }, async () => {
  const server = await serve();
  const profile = await mkdtemp(join(tmpdir(), "h1x-chromium-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ],
    });
    const page = await context.newPage();
    const logs = [];
    page.on("console", (m) => logs.push(m.text()));
    page.on("pageerror", (e) => logs.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.h1xResult !== undefined, null, { timeout: 60000 });
    const r = await page.evaluate(() => window.h1xResult);
    assert.deepEqual(r.errors, [], logs.join("\n"));
    assert.equal(r.hasBuffer, false);
    assert.equal(r.request, "GET /panorama HTTP/1.1\r\nHost: example.com\r\n\r\n");
    assert.deepEqual(r.events, [
      { type: "informationalResponse", statusCode: 102, reason: "Processing", headers: [["progress", "1/2"]], httpVersion: "1.1" },
      { type: "informationalResponse", statusCode: 103, reason: "Early Hints", headers: [["link", "</style.css>; rel=preload"]], httpVersion: "1.1" },
      { type: "response", statusCode: 200, reason: "OK", headers: [["content-type", "text/plain"], ["content-length", "5"]], httpVersion: "1.1" },
      { type: "data", data: "hello", isUint8Array: true },
      { type: "endOfMessage", headers: [] },
    ]);
    assert.deepEqual(r.clientStates, ["DONE", "DONE"]);
    assert.deepEqual(r.serverRequest, { type: "request", method: "GET", target: "/", headers: [["host", "example.com"]], httpVersion: "1.1" });
    assert.deepEqual(r.serverEnd, { type: "endOfMessage", headers: [] });
    assert.equal(
      r.response,
      "HTTP/1.1 103 Early Hints\r\nLink: </app.js>; rel=preload\r\n\r\n" +
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
    );
    assert.deepEqual(r.serverStates, ["DONE", "DONE"]);
    assert.deepEqual(r.error, { isRemote: true, kind: "DuplicateContentLength", status: 400 });
  } finally {
    await context?.close();
    server.close();
    await rm(profile, { recursive: true, force: true });
  }
});
