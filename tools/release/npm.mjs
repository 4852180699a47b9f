// The npm artifact of a release, packed and checked as users get it (run by
// `make release-check-npm`, after `make wasm`):
//   1. `npm pack` of bindings-wasm/ into OUT_DIR/npm/; the tarball's files, version and exports;
//   2. a fresh project (a copy of tools/release/npm-app/, `npm ci`) installs the tarball by path,
//      then imports "h1x" by name from Node ESM ("h1x" and "h1x/inline") and CommonJS and decodes
//      a 102, 103, 200 stream, and tsc --strict checks the types an ESM and a CommonJS user see;
//   3. the same tarball bundled for a browser app by Vite ("h1x": the .wasm must come out as an
//      asset of the build) and by esbuild ("h1x/inline": the .wasm inside the bundle), each
//      bundle served on loopback and loaded in headless Chromium, which must decode the same
//      events and fetch nothing that fails.
//
//   node tools/release/npm.mjs OUT_DIR VERSION
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const [outArg, version] = process.argv.slice(2);
const root = fileURLToPath(new URL("../../", import.meta.url));
const appSrc = join(root, "tools/release/npm-app");
const out = join(resolve(outArg), "npm");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const npmQuiet = ["--no-audit", "--no-fund", "--loglevel=error"];

const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });

// 1. the tarball
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const [packed] = JSON.parse(sh("npm", ["pack", "--json", "--pack-destination", out, ...npmQuiet], join(root, "bindings-wasm")));
const tarball = join(out, packed.filename);
assert.equal(packed.filename, `h1x-${version}.tgz`, "tarball name");
assert.equal(packed.version, version, "package.json version (the workspace version)");
const files = packed.files.map((f) => f.path).sort();
for (const f of [
  "package.json", "README.md", "LICENSE-MIT", "LICENSE-APACHE", "dist/h1x.d.ts", "dist/cjs/h1x.cjs", "dist/cjs/h1x.d.cts", "dist/cjs/h1x_wasm.js",
  "dist/cjs/package.json", "dist/esm/h1x.mjs", "dist/browser/h1x.mjs", "dist/inline/h1x.mjs",
  "dist/web/h1x_wasm.js", "dist/web/h1x_wasm_bg.wasm",
]) {
  assert.ok(files.includes(f), `${f} is in the tarball`);
}
const stray = files.filter((f) => !/^(package\.json|README\.md|LICENSE-(MIT|APACHE)|dist\/(h1x\.d\.ts|(cjs|esm|browser|inline|web)\/[^/]+))$/.test(f));
assert.deepEqual(stray, [], "nothing else in the tarball (sources, tests, benchmarks, build leftovers)");
const wasmSize = packed.files.find((f) => f.path === "dist/web/h1x_wasm_bg.wasm").size;
assert.ok(wasmSize <= 70 * 1024, `h1x_wasm_bg.wasm is ${wasmSize} bytes, over the 70 KiB budget`);
console.log(`  ${packed.filename}: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${files.length} files; .wasm ${wasmSize} bytes`);

// 2. a user's project
const app = mkdtempSync(join(tmpdir(), "h1x-release-npm-"));
const profile = mkdtempSync(join(tmpdir(), "h1x-release-chromium-"));
let failed = true;
try {
  for (const f of readdirSync(appSrc)) if (f !== "node_modules") cpSync(join(appSrc, f), join(app, f), { recursive: true });
  sh("npm", ["ci", ...npmQuiet], app);
  sh("npm", ["install", "--no-save", ...npmQuiet, tarball], app);
  const installed = JSON.parse(readFileSync(join(app, "node_modules/h1x/package.json"), "utf8"));
  assert.equal(installed.version, version, "installed version");
  process.stdout.write(sh("node", ["node-esm.mjs"], app));
  process.stdout.write(sh("node", ["node-cjs.cjs"], app));
  sh(join(app, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], app);
  console.log("  tsc --strict (module node16): the types of import \"h1x\", \"h1x/inline\" and require(\"h1x\") check");

  // 3. bundles
  sh(join(app, "node_modules/.bin/vite"), ["build", "--outDir", "dist-vite", "--emptyOutDir", "--logLevel", "warn"], app);
  const assets = readdirSync(join(app, "dist-vite/assets"));
  const wasmAssets = assets.filter((f) => f.endsWith(".wasm"));
  assert.equal(wasmAssets.length, 1, `Vite emitted one .wasm asset: ${assets}`);
  assert.equal(statSync(join(app, "dist-vite/assets", wasmAssets[0])).size, wasmSize, "Vite's asset is the package's .wasm");
  console.log(`  vite build: dist-vite/assets/${wasmAssets.join(", ")} emitted by the bundler from new URL(…, import.meta.url)`);

  mkdirSync(join(app, "dist-esbuild"));
  sh(join(app, "node_modules/.bin/esbuild"), ["src/inline.js", "--bundle", "--format=esm", "--platform=browser", "--minify",
    "--outfile=dist-esbuild/app.js", "--log-level=warning"], app);
  writeFileSync(join(app, "dist-esbuild/index.html"),
    '<!doctype html>\n<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>h1x release check (esbuild)</title></head>\n' +
    '<body><script type="module" src="./app.js"></script></body></html>\n');
  assert.deepEqual(readdirSync(join(app, "dist-esbuild")).sort(), ["app.js", "index.html"], "esbuild: one bundle, no asset to copy");
  console.log(`  esbuild: dist-esbuild/app.js (${statSync(join(app, "dist-esbuild/app.js")).size} bytes, the .wasm inside)`);

  const { EXPECTED } = await import(join(app, "src/decode.js"));
  const { chromium } = createRequire(join(app, "package.json"))("playwright-core");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run"],
  });
  try {
    for (const dir of ["dist-vite", "dist-esbuild"]) {
      const server = await serve(join(app, dir));
      try {
        const page = await context.newPage();
        const problems = [], fetched = [];
        page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
        page.on("pageerror", (e) => problems.push(`page error: ${e}`));
        page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
        page.on("response", (r) => {
          fetched.push(r.url());
          if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
        });
        await page.goto(`http://127.0.0.1:${server.address().port}/`);
        await page.waitForFunction(() => window.h1xResult !== undefined, null, { timeout: 30000 }).catch(() => {
          throw new Error(`${dir}: no result in Chromium after 30 s: ${problems.join("; ") || "no error seen"}`);
        });
        const result = await page.evaluate(() => window.h1xResult);
        assert.deepEqual(problems, [], `${dir} in Chromium`);
        assert.deepEqual(result, EXPECTED, `${dir}: the events decoded in Chromium`);
        const wasmFetched = fetched.filter((u) => u.endsWith(".wasm")).length;
        assert.equal(wasmFetched, dir === "dist-vite" ? 1 : 0, `${dir}: .wasm fetches`);
        console.log(`  Chromium ${context.browser()?.version() ?? ""}: ${dir} decoded 102, 103, 200 (${fetched.length} requests, ${wasmFetched} .wasm)`);
        await page.close();
      } finally {
        server.close();
      }
    }
  } finally {
    await context.close();
  }
  failed = false;
} finally {
  rmSync(profile, { recursive: true, force: true });
  if (failed) console.log(`release-check: the npm project is kept for a look: ${app}`);
  else rmSync(app, { recursive: true, force: true });
}

function serve(dir) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const file = join(dir, path === "/" ? "index.html" : path);
    try {
      if (!file.startsWith(dir)) throw new Error("outside");
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": types[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}
