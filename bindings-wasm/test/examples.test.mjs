// The examples, run together on loopback: the heartbeat server sends 103 and 102 heartbeats
// through a short job, the client prints each interim response and the final one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));

test("heartbeat server and interim client", { timeout: 60000 }, async () => {
  const server = spawn(process.execPath, ["examples/heartbeat-server.mjs"], {
    cwd: root,
    env: { ...process.env, PORT: "0", JOB_MS: "400", BEAT_MS: "100" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const port = await new Promise((resolve, reject) => {
      let out = "";
      server.stdout.on("data", (d) => {
        out += d;
        const m = /127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      server.on("exit", (code) => reject(new Error(`server exited (${code})`)));
    });
    const { stdout } = await promisify(execFile)(process.execPath, ["examples/interim-client.mjs", `http://127.0.0.1:${port}/render?tile=7`], { cwd: root, timeout: 30000 });
    const lines = stdout.trim().split("\n").map((l) => l.replace(/^\s*\d+ ms\s+/, ""));
    assert.deepEqual(lines, [
      "interim 103 Early Hints  link: </panorama.css>; rel=preload; as=style",
      "interim 102 Processing  progress: 1/4",
      "interim 102 Processing  progress: 2/4",
      "interim 102 Processing  progress: 3/4",
      "final   200 OK  content-type: application/json  content-length: 40  connection: close",
      'body    {"rendered":"/render?tile=7","steps":4}',
    ]);
  } finally {
    server.kill();
  }
});
