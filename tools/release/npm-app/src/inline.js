// The browser app bundled by esbuild, which does not follow new URL(..., import.meta.url):
// "h1x/inline" carries the .wasm in the module, so the bundle needs no asset at all.
import * as h1x from "h1x/inline";
import { run } from "./decode.js";

window.h1xResult = run(h1x);
document.body.textContent = JSON.stringify(window.h1xResult);
