// Times the shared inputs in wasm32 under Node: h1x built with simd128, h1x built without it
// (SWAR), and httparse (in the simd128 build): the fastest of 9 runs after a warm-up pass over
// everything. Run it with `node --no-liftoff`: V8 otherwise starts wasm in its baseline
// compiler and cannot swap a running call over to optimized code, so whichever input is timed
// first pays for the baseline code (it made kittyhell look 3x slower than it is).
// Prints a Markdown section.
// usage: node --no-liftoff run.mjs <simd128.wasm> <swar.wasm>
import { readFileSync, statSync } from "node:fs";

const names = ["kittyhell", "req_short", "resp_short", "interim", "chunk_size"];
const [simdPath, swarPath] = process.argv.slice(2);

async function load(path) {
  const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
  return instance.exports;
}

function time(ex, input, parser) {
  const len = ex.input_len(input);
  const iters = Math.max(2000, Math.floor(4_000_000 / len));
  if (ex.run(input, parser, 1000) === 0) throw new Error(`input ${input} consumed nothing`);
  const runs = [];
  for (let r = 0; r < 9; r++) {
    const t0 = process.hrtime.bigint();
    ex.run(input, parser, iters);
    runs.push(Number(process.hrtime.bigint() - t0) / iters);
  }
  runs.sort((a, b) => a - b);
  return runs[0];
}

const simd = await load(simdPath);
const swar = await load(swarPath);
if (simd.inputs() !== names.length) throw new Error("input list out of date");
// warm-up pass: every function hot before anything is timed
for (let i = 0; i < names.length; i++) {
  for (const [ex, parser] of [[simd, 0], [swar, 0], [simd, 1]]) ex.run(i, parser, 20000);
}
const kb = (p) => (statSync(p).size / 1024).toFixed(0);
const out = [];
out.push(`Node ${process.version}, wasm32-unknown-unknown (release, LTO), \`node --no-liftoff\`, fastest of 9 runs. Sizes: simd128 build ` +
  `${kb(simdPath)} KiB, SWAR build ${kb(swarPath)} KiB (both include httparse and the shared inputs).\n`);
out.push("| input | h1x simd128 | h1x SWAR | httparse | **h1x simd128 / httparse** | h1x SWAR / httparse |");
out.push("| --- | ---: | ---: | ---: | ---: | ---: |");
names.forEach((name, i) => {
  const a = time(simd, i, 0);
  const b = time(swar, i, 0);
  const h = time(simd, i, 1);
  out.push(`| \`${name}\` | ${a.toFixed(0)} ns | ${b.toFixed(0)} ns | ${h.toFixed(0)} ns | **${(a / h).toFixed(2)}** | ${(b / h).toFixed(2)} |`);
});
console.log(out.join("\n"));
