// The browser app bundled by Vite: "h1x" resolves through the package's "browser" condition,
// whose module references its .wasm as new URL(..., import.meta.url); Vite emits it as an asset.
import * as h1x from "h1x";
import { run } from "./decode.js";

window.h1xResult = run(h1x);
document.body.textContent = JSON.stringify(window.h1xResult);
