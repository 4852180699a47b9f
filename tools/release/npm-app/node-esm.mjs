// Node ESM, the package by name: "h1x" (node + import condition) and "h1x/inline".
import assert from "node:assert/strict";
import * as h1x from "h1x";
import * as inline from "h1x/inline";
import { run, EXPECTED } from "./src/decode.js";

assert.deepEqual(run(h1x), EXPECTED);
assert.deepEqual(run(inline), EXPECTED);
console.log(`  node ${process.version} ESM: import "h1x" and "h1x/inline": 102, 103, 200 decoded`);
