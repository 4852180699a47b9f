// Node CommonJS, the package by name: require("h1x") (node + require condition).
const assert = require("node:assert/strict");
const h1x = require("h1x");
const { version } = require("h1x/package.json");

import("./src/decode.js").then(({ run, EXPECTED }) => {
  assert.deepEqual(run(h1x), EXPECTED);
  console.log(`  node ${process.version} CommonJS: require("h1x") ${version}: 102, 103, 200 decoded`);
});
