// The shared wire vectors (core/tests/vectors/*.json) at every split point, following the
// runner rules in core/tests/vectors/README.md, through the ESM and the CommonJS builds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import * as esm from "../dist/esm/h1x.mjs";
import { check, latin1Bytes, loadCases } from "./runner.mjs";

const cjs = createRequire(import.meta.url)("../dist/cjs/h1x.cjs");
const cases = loadCases();

test("the vector files hold cases", () => {
  assert.ok(cases.length >= 50, `only ${cases.length} vectors`);
});

for (const [name, api] of [["esm", esm], ["cjs", cjs]]) {
  test(`shared wire vectors at every split point (${name})`, async (t) => {
    let runs = 0;
    for (const { file, c } of cases) {
      await t.test(`${file}: ${c.name}`, () => {
        const len = latin1Bytes(c.input).length;
        const splits = [[], Array.from({ length: Math.max(0, len - 1) }, (_, i) => i + 1)];
        for (let cut = 0; cut <= len; cut++) splits.push([cut]);
        for (const cuts of splits) {
          check(api, c, cuts);
          runs++;
        }
      });
    }
    t.diagnostic(`${cases.length} vectors, ${runs} runs`);
  });
}
