// Times the shared inputs in wasm32 under Node: h1x built with simd128, h1x built without it
// (SWAR), and httparse (in the simd128 build), each median of 7 runs. Prints a Markdown section.
// usage: node run.mjs <simd128.wasm> <swar.wasm>
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
  for (let r = 0; r < 7; r++) {
    const t0 = process.hrtime.bigint();
    ex.run(input, parser, iters);
    runs.push(Number(process.hrtime.bigint() - t0) / iters);
  }
  runs.sort((a, b) => a - b);
  return runs[3];
}

const simd = await load(simdPath);
const swar = await load(swarPath);
if (simd.inputs() !== names.length) throw new Error("input list out of date");
const kb = (p) => (statSync(p).size / 1024).toFixed(0);
const out = [];
out.push(`Node ${process.version}, wasm32-unknown-unknown (release, LTO). Sizes: simd128 build ` +
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
