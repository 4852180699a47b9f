// tsc --strict, module node16: the types a CommonJS user gets from require("h1x").
import h1x = require("h1x");

const c: h1x.Connection = new h1x.Connection({ role: "server" });
const state: h1x.State = c.ourState;
void state;
