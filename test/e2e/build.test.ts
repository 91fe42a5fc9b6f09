/**
 * The bundle `npm install` makes (scripts/build.mjs): built for real, started for real, it serves
 * the dashboard it carries — the very bytes, at the very URLs, that a server running from the
 * TypeScript sources bundles for itself.
 */
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDashboard } from "../../src/server/dashboard/index.ts";
import { type Started, startServeWith } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// Under the project: the bundle finds its dependencies in the project's node_modules.
const OUT = `${ROOT}dist/test-build-${process.pid}`;
/** What bin/opsdojo.js does with a fresh bundle, pointed at this one. */
const RUN_BUNDLE =
  "const { main } = await import(process.argv[1]); process.exitCode = await main(process.argv.slice(2));";

let server: Started | undefined;

beforeAll(async () => {
  // The CLI alone, split into cli.mjs, mining-worker.mjs and chunks/ as in dist/.
  const built = await promisify(execFile)(process.execPath, ["scripts/build.mjs", "cli", OUT], { cwd: ROOT });
  // The build never fails an install; it warns instead, and a warning here is a broken build.
  expect(built.stderr).toBe("");
  server = await startServeWith(["--input-type=module", "-e", RUN_BUNDLE, `${OUT}/cli.mjs`], await tempDir());
});

afterAll(async () => {
  await server?.stop();
  await rm(OUT, { recursive: true, force: true });
  await removeTempDirs();
});

describe("the bundled server", () => {
  it("serves the dashboard it was built with, the same as one from the sources", async () => {
    const url = server?.info.url;
    const fromSources = await loadDashboard();
    const shell = await (await fetch(`${url}/`)).text();
    expect(shell).toBe(fromSources.shell);
    for (const [name, asset] of fromSources.assets) {
      const response = await fetch(`${url}${fromSources.base}/${name}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get("content-type")).toBe(asset.contentType);
      expect(await response.text()).toBe(asset.body);
    }
  });

  it("knows no other version of the dashboard and no other file", async () => {
    const url = server?.info.url;
    const { base } = await loadDashboard();
    expect((await fetch(`${url}/dashboard/000000000000/main.js`)).status).toBe(404);
    expect((await fetch(`${url}${base}/bundle.ts`)).status).toBe(404);
  });
});
