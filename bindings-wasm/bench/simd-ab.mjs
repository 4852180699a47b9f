// Does simd128 pay? The same package built with and without it, in one process, interleaved
// samples of CPU time per server keep-alive cycle (bytes in, request and end events, 200 out, next
// cycle). Run: make bench-wasm-simd (builds the variant without simd128 into dist/nosimd/).
const A = await import("../dist/esm/h1x.mjs");
const B = await import("../dist/nosimd/esm/h1x.mjs");
const enc = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const GET = enc(
  "GET /api/v1/panoramas/42/tiles?level=3&format=webp HTTP/1.1\r\nHost: render.example.com\r\n" +
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n" +
    "Accept: image/webp,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\n" +
    `Connection: keep-alive\r\nCookie: session=${"x".repeat(51)}\r\nCache-Control: max-age=0\r\n\r\n`,
);
const BIG = enc(`GET / HTTP/1.1\r\nHost: a\r\nX-Filler: ${"y".repeat(3000)}\r\nCookie: ${"z".repeat(2000)}\r\n\r\n`);
const response = { type: "response", statusCode: 200, headers: [["Content-Length", "0"]] };
const end = { type: "endOfMessage" };
const cycle = (api, input) => {
  const c = new api.Connection({ role: "server" });
  return () => {
    c.receiveData(input);
    c.nextEvent();
    c.nextEvent();
    c.send(response);
    c.send(end);
    c.startNextCycle();
  };
};
function time(f, n) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) f();
  const d = process.cpuUsage(t0);
  return ((d.user + d.system) * 1000) / n;
}
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
for (const [name, input] of [[`${GET.length}-byte GET`, GET], [`${BIG.length}-byte head, 5 KB of values`, BIG]]) {
  const fa = cycle(A, input), fb = cycle(B, input);
  time(fa, 20000);
  time(fb, 20000);
  const ra = [], rb = [];
  for (let r = 0; r < 21; r++) {
    ra.push(time(fa, 5000));
    rb.push(time(fb, 5000));
  }
  const a = med(ra), b = med(rb);
  console.log(`${name.padEnd(34)} simd128 ${a.toFixed(0).padStart(6)} ns   without ${b.toFixed(0).padStart(6)} ns   ratio ${(b / a).toFixed(2)}`);
}
