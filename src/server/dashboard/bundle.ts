import { extname } from "node:path";
import { fileURLToPath } from "node:url";

/** One file the browser loads: its name under the versioned base path, its type and its text. */
export interface Asset {
  readonly name: string;
  readonly contentType: string;
  readonly body: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/**
 * What the browser asks for by name: `main.js` (the shell's module), `sse.js` (its event-stream
 * reader, also an entry so that it can be loaded on its own), `style.css`. Code the two share goes
 * into a chunk that both import by relative URL.
 */
const ENTRIES = ["main.ts", "sse.ts", "style.css"];

/**
 * Bundles the client sources in `client/` with esbuild into the files the browser loads. Run by
 * `scripts/build.mjs` (whose output carries the result, see assets.ts) and, when the server runs
 * from the TypeScript sources, once in-process on the first request — so what is served is always
 * the sources as they are. The output depends only on them: the same sources give the same bytes
 * in either place, and so the same versioned URLs.
 */
export async function bundleDashboard(): Promise<Asset[]> {
  // esbuild is loaded only here: a bundled server carries the result and never needs it.
  const { build } = await import("esbuild");
  const dir = fileURLToPath(new URL("./client/", import.meta.url));
  const result = await build({
    absWorkingDir: dir,
    entryPoints: ENTRIES,
    bundle: true,
    splitting: true,
    format: "esm",
    target: "es2022",
    tsconfig: "tsconfig.json",
    outdir: "out",
    entryNames: "[name]",
    chunkNames: "[name]-[hash]",
    write: false,
    charset: "utf8",
    legalComments: "none",
    logLevel: "silent",
  });
  return result.outputFiles.map((file) => {
    const name = file.path.slice(file.path.lastIndexOf("/") + 1);
    const contentType = CONTENT_TYPES[extname(name)];
    if (!contentType) throw new Error(`the dashboard bundle made ${name}, a file it cannot serve`);
    return { name, contentType, body: file.text };
  });
}
