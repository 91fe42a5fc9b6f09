/**
 * `opsdojo/client` as a package: built by the real build script, resolved through the real
 * package.json `exports`, and loaded by plain Node — ESM and CommonJS, no TypeScript loader —
 * then used against a real HTTP server on loopback. A TypeScript consumer type-checks against
 * the shipped .d.ts.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../support/temp.ts";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

let app: string;
let server: Server;
let url: string;
const seen: { path: string; version: string | undefined; auth: string | undefined }[] = [];

beforeAll(async () => {
  // A consumer project: node_modules/opsdojo is the package as npm lays it out (package.json
  // and the built client), with its dependency openapi-fetch beside it.
  app = await tempDir();
  const pkg = join(app, "node_modules", "opsdojo");
  await mkdir(pkg, { recursive: true });
  await cp(join(ROOT, "package.json"), join(pkg, "package.json"));
  await run(process.execPath, [join(ROOT, "scripts/build.mjs"), "client", join(pkg, "dist/client")], {
    cwd: ROOT,
  });
  await symlink(join(ROOT, "node_modules", "openapi-fetch"), join(app, "node_modules", "openapi-fetch"));
  await symlink(join(ROOT, "node_modules", "@types"), join(app, "node_modules", "@types"));
  server = createServer((request, response) => {
    seen.push({
      path: request.url ?? "",
      version: request.headers["accept-version"] as string | undefined,
      auth: request.headers.authorization,
    });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ items: [{ name: "payments-api" }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}, 180_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await removeTempDirs();
});

const USE = (url: string) => `
const api = createOpsdojoClient({ baseUrl: ${JSON.stringify(url)}, token: "odj_test" });
const { data } = await api.GET("/api/services", { params: { query: { sort: "name" } } });
console.log(JSON.stringify({ names: data.items.map((s) => s.name), isProblem: isProblem({ title: "t", status: 400 }) }));
`;

describe("opsdojo/client in plain Node", { timeout: 180_000 }, () => {
  it("imports from ESM and requires from CommonJS, without a loader, and calls the API", async () => {
    await writeFile(
      join(app, "esm.mjs"),
      `import { createOpsdojoClient, isProblem } from "opsdojo/client";\n${USE(url)}`,
    );
    await writeFile(
      join(app, "cjs.cjs"),
      `const { createOpsdojoClient, isProblem } = require("opsdojo/client");\n(async () => {${USE(url)}})();`,
    );
    for (const file of ["esm.mjs", "cjs.cjs"]) {
      // No --import tsx, no NODE_OPTIONS: what a user's Node does.
      const { stdout } = await run(process.execPath, [file], { cwd: app, env: { PATH: process.env.PATH } });
      expect(JSON.parse(stdout), file).toEqual({ names: ["payments-api"], isProblem: true });
    }
    expect(seen).toEqual([
      { path: "/api/services?sort=name", version: "1", auth: "Bearer odj_test" },
      { path: "/api/services?sort=name", version: "1", auth: "Bearer odj_test" },
    ]);
  });

  it("ships types: a TypeScript consumer is checked against the API's paths", async () => {
    await writeFile(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2023",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
        },
        include: ["use.mts"],
      }),
    );
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    await writeFile(
      join(app, "use.mts"),
      `import { createOpsdojoClient, type Service } from "opsdojo/client";
const api = createOpsdojoClient({ baseUrl: "http://127.0.0.1:1" });
const { data } = await api.GET("/api/services", {});
const first: Service | undefined = data?.items[0];
export const owner: string | undefined = first?.owner;
`,
    );
    await run(process.execPath, [tsc, "-p", "."], { cwd: app });
    // And it does check: a path the API does not have is a compile error.
    await writeFile(
      join(app, "use.mts"),
      `import { createOpsdojoClient } from "opsdojo/client";
await createOpsdojoClient({ baseUrl: "http://127.0.0.1:1" }).GET("/api/no-such-thing", {});
`,
    );
    const failed = await run(process.execPath, [tsc, "-p", "."], { cwd: app }).then(
      () => "",
      (error: { stdout: string }) => error.stdout,
    );
    expect(failed).toContain("/api/no-such-thing");
  });
});
