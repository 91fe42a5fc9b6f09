import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// What a command loads is what every start of it costs, and the e2e tests start `runs …` hundreds
// of times: `runs list` once loaded the action catalogue, and with it every AWS SDK client, for a
// one-line helper (targetsOf). The command runs from the sources here, with a resolve hook that
// writes down every module it resolves, so the test names the file, not a bundle chunk.

const run = promisify(execFile);
afterAll(removeTempDirs);

const HOOKS = `
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.LOADED_LOG, resolved.url + "\\n");
  return resolved;
}
`;

async function loadedBy(args: string[]): Promise<string[]> {
  const dir = await tempDir();
  const hooks = join(dir, "hooks.mjs");
  const register = join(dir, "register.mjs");
  const log = join(dir, "loaded.txt");
  await writeFile(hooks, HOOKS);
  await writeFile(
    register,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  await writeFile(log, "");
  await run(process.execPath, ["--import", pathToFileURL(register).href, BIN, ...args], {
    env: cleanEnv(dir, { OPSDOJO_FROM_SOURCE: "1", LOADED_LOG: log }),
  });
  return (await readFile(log, "utf8")).split("\n").filter((l) => l !== "");
}

describe("what a command loads", () => {
  it("runs list loads neither the action catalogue nor the AWS SDK, ssh2 or the server", async () => {
    const loaded = await loadedBy(["runs", "list", "--json"]);
    // The probe works: the command itself and the store were loaded.
    expect(loaded.some((url) => url.endsWith("/src/cli/runs/local-backend.ts"))).toBe(true);
    const heavy = loaded.filter((url) =>
      /\/src\/operations\/actions\/built-in\.ts$|\/node_modules\/(@aws-sdk|@smithy|ssh2|fastify)\//.test(url),
    );
    expect(heavy).toEqual([]);
  });
});
