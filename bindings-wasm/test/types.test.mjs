// The TypeScript types (h1x.d.ts, published as dist/h1x.d.ts): test/types/check.mts must compile
// under tsc --strict, importing "h1x" through package.json's "exports" like a user would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = fileURLToPath(new URL("..", import.meta.url));

test("the TypeScript types accept correct use and reject wrong use", { timeout: 120000 }, async () => {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const args = [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext",
    "--target", "es2022", "--lib", "es2022,dom", "test/types/check.mts"];
  const run = await promisify(execFile)(process.execPath, args, { cwd: root }).catch((e) => e);
  assert.equal(run.code ?? 0, 0, `${run.stdout}${run.stderr}`);
});

test("the types' State and Leniency unions are the core's tables", async () => {
  // one source of truth: the core's State::ALL and Leniency::ALL, as the WASM module exports them
  const glue = createRequire(import.meta.url)("../dist/cjs/h1x_wasm.js");
  const dts = (await import("node:fs")).readFileSync(new URL("../h1x.d.ts", import.meta.url), "utf8");
  const union = (name) => {
    const m = dts.match(new RegExp(`export type ${name} =([^;]*);`));
    assert.ok(m, `type ${name} in h1x.d.ts`);
    return [...m[1].matchAll(/"([A-Z_]+)"/g)].map((x) => x[1]);
  };
  assert.deepEqual(union("State"), glue.state_names().split("\n"));
  assert.deepEqual(union("Leniency"), glue.leniency_names().split("\n").map((l) => l.split("=")[0]));
});
