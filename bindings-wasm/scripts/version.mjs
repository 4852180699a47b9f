// The one version of every h1x package: `version` in the `[workspace.package]` table of the
// repository's Cargo.toml. scripts/build.mjs writes it into package.json (and package-lock.json);
// test/package.test.mjs checks that they agree.
import { readFileSync } from "node:fs";

const root = new URL("../../", import.meta.url);

/** The workspace version from Cargo.toml, e.g. "0.1.0". */
export function workspaceVersion() {
  const toml = readFileSync(new URL("Cargo.toml", root), "utf8");
  const table = toml.split(/^\[/m).find((t) => t.startsWith("workspace.package]"));
  const m = table && /^version\s*=\s*"([^"]+)"\s*$/m.exec(table);
  if (!m) throw new Error("Cargo.toml: no version in [workspace.package]");
  return m[1];
}
